package io.inboard.mesh.security.internal.identity;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.IdentitySettings;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.Csrs;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload's identity from the mesh CA, kept current on its own daemon thread.
 *
 * <p>For each certificate it makes a fresh key (which never leaves the process), sends a CSR
 * for the lifetime configured, checks the answer ({@link IssuedChain}) and publishes key, chain
 * and roots together as the next generation. It renews at half-life (±1%, see {@link
 * RenewalTiming}); after a failure it retries with capped exponential backoff and keeps serving
 * the material it has, logging once per outage rather than per retry.
 *
 * <p>The trust set is the roots of the bundle file plus the root that ends the current chain.
 * The bundle is re-read every refresh interval and before every renewal; when the trust set
 * changes, the same key and chain are published again with the new roots. An answer must verify
 * to a root trusted before it arrived, so a CA cannot introduce a root of its own.
 */
final class CaIdentity implements WorkloadIdentity {
  private static final Logger log = LoggerFactory.getLogger(CaIdentity.class);

  private final SpiffeId id;
  private final Duration lifetime;
  private final KeyAlgorithm algorithm;
  private final RootBundle bundle;
  private final RootsTrustManager caTrust;
  private final CaClient ca;
  private final InMemoryIdentity published;
  private final ScheduledThreadPoolExecutor thread;
  // the fields below are used on `thread` only
  private List<X509Certificate> bundleRoots = List.of();
  private String bundleProblem;
  // written on `thread` only; volatile for failedAttempts()
  private volatile int failures;
  private boolean expiryLogged;

  private CaIdentity(SpiffeId id, IdentitySettings settings) {
    this.id = requireNonNull(id, "id");
    this.lifetime = settings.certificateLifetime();
    this.algorithm = KeyAlgorithm.valueOf(settings.keyType().name());
    this.bundle = new RootBundle(settings.rootCertFile());
    this.caTrust = new RootsTrustManager(List.of());
    this.ca = new CaClient(settings.caAddress(), settings.tokenFile(), caTrust);
    this.published = new InMemoryIdentity(id);
    this.thread = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "inboard-identity-" + id.serviceAccount());
      t.setDaemon(true);
      return t;
    });
    thread.setRemoveOnCancelPolicy(true);
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Starts getting certificates for {@code id} as {@code settings} say: the first request is
   * sent at once, on the identity's own thread.
   */
  static CaIdentity start(SpiffeId id, IdentitySettings settings) {
    CaIdentity identity = new CaIdentity(id, settings);
    identity.thread.execute(identity::renew);
    long refresh = settings.rootCertRefreshInterval().toMillis();
    identity.thread.scheduleWithFixedDelay(identity::refreshRoots, refresh, refresh,
        TimeUnit.MILLISECONDS);
    return identity;
  }

  @Override
  public SpiffeId id() {
    return id;
  }

  @Override
  public Optional<IdentityMaterial> current() {
    return published.current();
  }

  @Override
  public void addListener(Consumer<IdentityMaterial> listener) {
    published.addListener(listener);
  }

  @Override
  public void removeListener(Consumer<IdentityMaterial> listener) {
    published.removeListener(listener);
  }

  /** Failed attempts since the last certificate arrived (for tests and diagnostics). */
  int failedAttempts() {
    return failures;
  }

  private void renew() {
    Instant started = Instant.now();
    try {
      readBundle();
      List<X509Certificate> anchors = trustSet(current());
      caTrust.setRoots(anchors);
      KeyPair keys = algorithm.generate();
      List<String> answer = ca.sign(Csrs.create(keys, id), lifetime);
      Instant received = Instant.now();
      List<X509Certificate> chain = IssuedChain.check(answer, keys.getPublic(), id, anchors,
          received);
      List<X509Certificate> roots = RootBundle.union(bundleRoots,
          IssuedChain.root(chain).map(List::of).orElse(List.of()));
      long generation = current().map(m -> m.generation() + 1).orElse(1L);
      published.update(new IdentityMaterial(id, keys.getPrivate(), chain, roots, generation));
      if (failures > 0) {
        log.info("Got a certificate for {} from CA {} again, after {} failed attempt(s)", id,
            ca.address(), failures);
      }
      failures = 0;
      expiryLogged = false;
      Duration next = RenewalTiming.renewAfter(received, chain.get(0).getNotAfter().toInstant(),
          ThreadLocalRandom.current().nextDouble());
      log.debug("Certificate {} for {} valid until {}; renewing in {}", generation, id,
          chain.get(0).getNotAfter().toInstant(), next);
      schedule(next);
    } catch (RuntimeException e) {
      if (thread.isShutdown()) {
        return;
      }
      failures++;
      Duration retry = RenewalTiming.retryAfter(failures, lifetime,
          ThreadLocalRandom.current().nextDouble());
      if (failures == 1) {
        log.warn("Cannot get a certificate for {} from CA {}: {}. {}; retrying with backoff"
            + " (logged once until it succeeds)", id, ca.address(), e.getMessage(),
            current().map(m -> "Keeping the one valid until " + m.notAfter())
                .orElse("No mTLS until then"));
      } else {
        log.debug("Attempt {} at a certificate for {} failed after {}: {}", failures, id,
            Duration.between(started, Instant.now()), e.getMessage());
      }
      current().filter(m -> !m.notAfter().isAfter(Instant.now()) && !expiryLogged)
          .ifPresent(m -> {
            expiryLogged = true;
            log.error("The certificate of {} expired at {} and CA {} has not renewed it: mTLS"
                + " peers will refuse this workload", id, m.notAfter(), ca.address());
          });
      schedule(retry);
    }
  }

  private void schedule(Duration delay) {
    if (!thread.isShutdown()) {
      thread.schedule(this::renew, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void refreshRoots() {
    try {
      readBundle();
      Optional<IdentityMaterial> now = current();
      if (now.isEmpty()) {
        return;
      }
      List<X509Certificate> roots = trustSet(now);
      caTrust.setRoots(roots);
      if (!new HashSet<>(roots).equals(new HashSet<>(now.get().roots()))) {
        IdentityMaterial next = now.get().withRoots(roots);
        log.info("Trusted roots of {} changed to {}: publishing generation {}", id,
            roots.stream().map(r -> r.getSubjectX500Principal().getName()).toList(),
            next.generation());
        published.update(next);
      }
    } catch (RuntimeException e) {
      log.warn("Root bundle refresh for {} failed: {}", id, e.toString());
    }
  }

  /** Re-reads the bundle; on failure keeps the last good roots and logs each new problem once. */
  private void readBundle() {
    try {
      bundleRoots = bundle.read();
      if (bundleProblem != null) {
        log.info("Root bundle {} is readable again", bundle.file());
        bundleProblem = null;
      }
    } catch (IllegalStateException e) {
      if (!e.getMessage().equals(bundleProblem)) {
        bundleProblem = e.getMessage();
        log.warn("{}; keeping the {} root(s) read before", e.getMessage(), bundleRoots.size());
      }
    }
  }

  /** The bundle's roots and the root that ends {@code material}'s chain. */
  private List<X509Certificate> trustSet(Optional<IdentityMaterial> material) {
    return RootBundle.union(bundleRoots, material
        .flatMap(m -> IssuedChain.root(m.chain())).map(List::of).orElse(List.of()));
  }

  /** Whether {@link #close()} was called. */
  boolean isClosed() {
    return thread.isShutdown();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    ca.close();
  }

  @Override
  public String toString() {
    return "CaIdentity[" + id + " from " + ca.address() + "]";
  }
}
