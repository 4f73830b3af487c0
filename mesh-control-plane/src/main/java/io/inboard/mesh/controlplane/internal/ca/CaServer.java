package io.inboard.mesh.controlplane.internal.ca;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA as the engine runs it: picks the root (plugged-in {@code cacerts}, the stored one, or a
 * new one), the proof of identity (local credentials until Kubernetes mode takes over), the
 * trust-bundle file, and the TLS gRPC server on the secure port. The plaintext xDS port never
 * serves the CA: bearer tokens are not accepted in the clear.
 */
public final class CaServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CaServer.class);
  /** The bundle's file name in the state directory, as Istio mounts it. */
  public static final String BUNDLE_FILE = "root-cert.pem";
  /** The service account in the TLS port's certificate's SPIFFE ID. */
  static final String SERVICE_ACCOUNT = "inboard-control-plane";

  private final CaSettings settings;
  private final ScheduledExecutorService scheduler;
  private final LocalCredentials credentials;
  private final CertificateAuthority ca;
  private final AtomicReference<TokenAuthenticator> authenticator;
  private final ServingCertificate serving;
  private final Server server;
  private final Path bundleFile;
  private final String host;

  /** Loads or makes the root and starts the TLS server on {@code host}. */
  public CaServer(String host, CaSettings s) throws IOException {
    this.settings = s;
    this.host = host;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "inboard-ca");
      t.setDaemon(true);
      return t;
    });
    Path state = s.stateDirectory();
    this.credentials = state == null ? LocalCredentials.inMemory()
        : LocalCredentials.inDirectory(state);
    RootStore store = s.cacertsDirectory() != null || state == null ? RootStore.NONE
        : new FileRootStore(state);
    SigningAuthority signer = s.cacertsDirectory() != null
        ? PluggedCa.fromDirectory(s.cacertsDirectory()) : store.load().orElseGet(() -> {
          SigningAuthority made = SigningAuthority.generateRoot(s.keyAlgorithm(), s.trustDomain());
          store.save(made);
          log.info("generated a new {} root CA{}", s.keyAlgorithm(),
              state == null ? " (in memory only)" : " in " + state);
          return made;
        });
    this.ca = new CertificateAuthority(signer, store, s.keyAlgorithm(), s.trustDomain(),
        scheduler);
    this.bundleFile = state == null ? null : state.resolve(BUNDLE_FILE);
    if (bundleFile != null) {
      ca.onBundleChange(roots -> StateFiles.write(bundleFile, Pem.encode(roots), false));
    }
    this.authenticator = new AtomicReference<>(credentials);
    this.serving = new ServingCertificate(ca,
        SpiffeId.of(s.trustDomain(), s.namespace(), SERVICE_ACCOUNT), dnsNames(host, s),
        addresses(host), s.keyAlgorithm(), s.servingLifetime(), scheduler);
    CertificateService service = new CertificateService(ca, authenticator::get, s.trustDomain(),
        s.defaultLifetime(), s.maxLifetime());
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, s.securePort()),
            TlsServerCredentials.newBuilder().keyManager(serving.keyManager()).build())
        .addService(ServerInterceptors.intercept(service, new BearerTokenInterceptor()))
        // a connection keeps the certificate it was opened with: bound its age
        .maxConnectionAge(Duration.ofHours(1).toMillis(), TimeUnit.MILLISECONDS)
        .build();
    try {
      server.start();
    } catch (IOException e) {
      scheduler.shutdownNow();
      throw new IOException("securePort: cannot bind " + host + ":" + s.securePort() + " ("
          + e.getMessage() + ")", e);
    }
  }

  /** The bound TLS port. */
  public int port() {
    return server.getPort();
  }

  /** The signing and trust state. */
  public CertificateAuthority authority() {
    return ca;
  }

  /** What the CA was started with. */
  public CaSettings settings() {
    return settings;
  }

  /** The trust-bundle file, when there is a state directory. */
  public Optional<Path> bundleFile() {
    return Optional.ofNullable(bundleFile);
  }

  /** The TLS port's current certificate chain. */
  public List<X509Certificate> servingChain() {
    return serving.chain();
  }

  /**
   * Another serving certificate from this CA, for a TLS server of the control plane other than
   * the CA's own (the injection webhook): DNS SANs {@code dnsNames} and {@code localhost}, IP
   * SANs 127.0.0.1, ::1 and the bind address; renewed as the CA port's. The caller closes it.
   */
  public ServingCertificate newServingCertificate(List<String> dnsNames) {
    Set<String> names = new LinkedHashSet<>(dnsNames);
    names.add("localhost");
    return new ServingCertificate(ca, SpiffeId.of(settings.trustDomain(), settings.namespace(),
        SERVICE_ACCOUNT), new ArrayList<>(names), addresses(host), settings.keyAlgorithm(),
        settings.servingLifetime(), scheduler);
  }

  /** A local credential for {@code namespace}/{@code serviceAccount}. */
  public String issueLocalCredential(String namespace, String serviceAccount) {
    return credentials.issue(namespace, serviceAccount);
  }

  /** Proves callers with {@code next} from now on (Kubernetes mode: TokenReview). */
  public void authenticateWith(TokenAuthenticator next) {
    authenticator.set(next);
  }

  /** The scheduler the CA's timers run on. */
  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    serving.close();
    server.shutdownNow();
    scheduler.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> dnsNames(String host, CaSettings s) {
    Set<String> names = new LinkedHashSet<>();
    names.add("istiod." + s.namespace() + ".svc");
    // the Service inboardctl install deploys, which injected pods' CA_ADDR names
    names.add("inboard-control-plane." + s.namespace() + ".svc");
    names.add("localhost");
    names.addAll(s.hostNames());
    if (!isAddress(host) && !host.isBlank()) {
      names.add(host);
    }
    return new ArrayList<>(names);
  }

  private static List<InetAddress> addresses(String host) {
    Set<InetAddress> out = new LinkedHashSet<>();
    try {
      out.add(InetAddress.getByName("127.0.0.1"));
      out.add(InetAddress.getByName("::1"));
      if (isAddress(host)) {
        InetAddress a = InetAddress.getByName(host);
        if (!a.isAnyLocalAddress()) {
          out.add(a);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot parse a literal address: " + e.getMessage(), e);
    }
    return new ArrayList<>(out);
  }

  private static boolean isAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }
}
