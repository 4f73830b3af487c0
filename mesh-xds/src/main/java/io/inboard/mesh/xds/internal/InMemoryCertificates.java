package io.inboard.mesh.xds.internal;

import static java.util.Objects.requireNonNull;

import io.grpc.xds.internal.security.certprovider.CertificateProvider;
import io.grpc.xds.internal.security.certprovider.CertificateProviderProvider;
import io.grpc.xds.internal.security.certprovider.CertificateProviderRegistry;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A workload's key, chain and roots handed to grpc-xds without files (gRFC A29 certificate
 * providers). This is the one class that touches grpc-xds's certificate-provider internals
 * ({@code io.grpc.xds.internal.security.certprovider}), so that a grpc upgrade changes this file
 * only; it takes plain JDK types so that mesh-xds needs nothing of mesh-security.
 *
 * <p>One plugin, {@value #PLUGIN_NAME}, is registered with grpc-xds once per JVM. Each instance
 * of this class has its own key; {@link #bootstrapProviders()} names it for the instances TLS
 * contexts refer to ({@code default} for the key and chain, {@code ROOTCA} for the roots), so
 * every xDS client built from that bootstrap reads this instance's material.
 *
 * <p>Every {@link #update} pushes key, chain and roots together: grpc-xds applies a new key only
 * once it has new roots too, and new roots only with a new key (grpc-java#13058).
 */
public final class InMemoryCertificates implements AutoCloseable {

  /** The plugin name in the bootstrap's {@code certificate_providers}. */
  public static final String PLUGIN_NAME = "inboard_in_memory";

  private static final String CONFIG_KEY = "key";
  private static final AtomicLong KEYS = new AtomicLong();
  private static final Map<String, InMemoryCertificates> BY_KEY = new ConcurrentHashMap<>();

  static {
    CertificateProviderRegistry.getInstance().register(new Plugin());
  }

  private final String key = "certificates-" + KEYS.incrementAndGet();
  private final Set<CertificateProvider.DistributorWatcher> watchers =
      ConcurrentHashMap.newKeySet();
  private Material material;

  private InMemoryCertificates() {}

  /** A new, empty source; clients that need it wait until the first {@link #update}. */
  public static InMemoryCertificates create() {
    InMemoryCertificates c = new InMemoryCertificates();
    BY_KEY.put(c.key, c);
    return c;
  }

  /**
   * The bootstrap's {@code certificate_providers}: the instances {@code default} and
   * {@code ROOTCA}, both served by this source.
   */
  public Map<String, Object> bootstrapProviders() {
    Map<String, Object> instance = Map.of("plugin_name", PLUGIN_NAME,
        "config", Map.of(CONFIG_KEY, key));
    return Map.of(MeshXdsNames.IDENTITY_PROVIDER, instance, MeshXdsNames.ROOT_PROVIDER, instance);
  }

  /**
   * Puts a new generation in force for every xDS client of this source: connections made from
   * now on present {@code chain} and trust {@code roots}; open ones keep what they have.
   *
   * @param chain the leaf first
   */
  public synchronized void update(PrivateKey privateKey, List<X509Certificate> chain,
      List<X509Certificate> roots) {
    Material m = new Material(requireNonNull(privateKey, "privateKey"), List.copyOf(chain),
        List.copyOf(roots));
    if (m.chain.isEmpty() || m.roots.isEmpty()) {
      throw new IllegalArgumentException("chain: " + m.chain.size() + " certificates, roots: "
          + m.roots.size() + " (expected: at least one of each)");
    }
    material = m;
    watchers.forEach(m::pushTo);
  }

  /** Forgets this source; clients still using it keep their last material. */
  @Override
  public void close() {
    BY_KEY.remove(key, this);
  }

  private synchronized void start(CertificateProvider.DistributorWatcher watcher) {
    watchers.add(watcher);
    if (material != null) {
      material.pushTo(watcher);
    }
  }

  private record Material(PrivateKey key, List<X509Certificate> chain,
      List<X509Certificate> roots) {
    void pushTo(CertificateProvider.DistributorWatcher watcher) {
      watcher.updateCertificate(key, chain);
      watcher.updateTrustedRoots(roots);
    }
  }

  /** grpc-xds's view: makes a provider per (instance, client) that reads one source. */
  private static final class Plugin implements CertificateProviderProvider {
    @Override
    public String getName() {
      return PLUGIN_NAME;
    }

    @Override
    public CertificateProvider createCertificateProvider(Object config,
        CertificateProvider.DistributorWatcher watcher, boolean notifyCertUpdates) {
      Object key = config instanceof Map<?, ?> m ? m.get(CONFIG_KEY) : null;
      InMemoryCertificates source = key == null ? null : BY_KEY.get(key.toString());
      if (source == null) {
        throw new IllegalArgumentException("certificate provider " + PLUGIN_NAME + " config: "
            + config + " (expected: {\"" + CONFIG_KEY + "\": <a live InMemoryCertificates key>})");
      }
      return new CertificateProvider(watcher, notifyCertUpdates) {
        @Override
        public void start() {
          source.start(getWatcher());
        }

        @Override
        public void close() {
          source.watchers.remove(getWatcher());
        }
      };
    }
  }
}
