package io.inboard.mesh.controlplane.internal.ca;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.pki.Certificates;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import io.inboard.mesh.security.internal.pki.ServingCertificates;
import io.inboard.mesh.security.internal.tls.MeshKeyManager;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS port's own certificate, issued by the CA it serves (as istiod's on 15012): DNS SANs
 * for the names clients dial, IP SANs 127.0.0.1 and ::1. It is re-issued at half its lifetime
 * and whenever the signer changes (root rotation), and presented through a key manager that
 * picks up each new one at the next handshake. The CA's TLS port has one; the injection
 * webhook gets another ({@link CaServer#newServingCertificate}) for its Service's names.
 */
public final class ServingCertificate implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServingCertificate.class);

  private final CertificateAuthority ca;
  private final SpiffeId id;
  private final List<String> dnsNames;
  private final List<InetAddress> addresses;
  private final KeyAlgorithm algorithm;
  private final Duration lifetime;
  private final ScheduledExecutorService scheduler;
  private final InMemoryIdentity identity;
  private final MeshKeyManager keyManager;
  private final AtomicLong generations = new AtomicLong();
  private ScheduledFuture<?> renewal;
  private boolean closed;

  ServingCertificate(CertificateAuthority ca, SpiffeId id, List<String> dnsNames,
      List<InetAddress> addresses, KeyAlgorithm algorithm, Duration lifetime,
      ScheduledExecutorService scheduler) {
    this.ca = requireNonNull(ca, "ca");
    this.id = id;
    this.dnsNames = List.copyOf(dnsNames);
    this.addresses = List.copyOf(addresses);
    this.algorithm = algorithm;
    this.lifetime = lifetime;
    this.scheduler = scheduler;
    this.identity = new InMemoryIdentity(id);
    this.keyManager = new MeshKeyManager(identity);
    ca.onSignerChange(signer -> renew());
  }

  /** The key manager the TLS server presents the current certificate through. */
  public X509ExtendedKeyManager keyManager() {
    return keyManager;
  }

  /** The certificate presented now, then its issuers. */
  public List<X509Certificate> chain() {
    return identity.current().orElseThrow().chain();
  }

  private synchronized void renew() {
    if (closed) {
      return;
    }
    SigningAuthority signer = ca.signer();
    KeyPair keys = algorithm.generate();
    X509Certificate leaf = ServingCertificates.create(id, dnsNames, addresses, keys.getPublic(),
        lifetime, signer.certificate(), signer.key());
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf);
    chain.addAll(signer.chain());
    identity.update(new IdentityMaterial(id, keys.getPrivate(), chain, ca.trustBundle(),
        generations.incrementAndGet()));
    if (renewal != null) {
      renewal.cancel(false);
    }
    Instant start = leaf.getNotBefore().toInstant().plus(Certificates.BACKDATE);
    long halfLife = Math.max(1000,
        Duration.between(start, leaf.getNotAfter().toInstant()).toMillis() / 2);
    renewal = scheduler.schedule(this::renew, halfLife, TimeUnit.MILLISECONDS);
    log.debug("serving certificate for {} renewed; next in {} ms", dnsNames, halfLife);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (renewal != null) {
      renewal.cancel(false);
    }
  }
}
