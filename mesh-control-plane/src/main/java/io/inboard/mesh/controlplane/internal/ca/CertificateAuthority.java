package io.inboard.mesh.controlplane.internal.ca;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs workload certificates with the current {@link SigningAuthority} and keeps the trust
 * bundle (every root currently trusted). Listeners hear each change of either: the TLS port
 * re-issues its own certificate when the signer changes, and the bundle is published (a file,
 * or ConfigMaps) when it changes.
 *
 * <p><b>Root rotation with overlap</b> ({@link #rotateRoot}): at once the bundle holds the old
 * and the new root while the old one still signs, so every workload learns the new root before
 * any certificate it signed is seen; after half the overlap the new root signs; after the whole
 * overlap the old root leaves the bundle. The new root is persisted at once, so a restart during
 * the overlap signs with the new root early (its workloads have been told of it already).
 */
public final class CertificateAuthority {
  private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);

  private final KeyAlgorithm algorithm;
  private final ScheduledExecutorService scheduler;
  private final List<Consumer<SigningAuthority>> signerListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<List<X509Certificate>>> bundleListeners =
      new CopyOnWriteArrayList<>();
  private volatile SigningAuthority signer;
  private volatile List<X509Certificate> bundle;
  private volatile RootStore store;
  private long rotations;
  private java.time.Instant rotationEnds = java.time.Instant.MIN;

  private final String organization;

  /** {@code organization}: the O= of roots this CA generates (the trust domain). */
  public CertificateAuthority(SigningAuthority signer, RootStore store, KeyAlgorithm algorithm,
      String organization, ScheduledExecutorService scheduler) {
    this.organization = requireNonNull(organization, "organization");
    this.signer = requireNonNull(signer, "signer");
    this.bundle = List.of(signer.root());
    this.store = requireNonNull(store, "store");
    this.algorithm = requireNonNull(algorithm, "algorithm");
    this.scheduler = requireNonNull(scheduler, "scheduler");
  }

  /** The authority that signs now. */
  public SigningAuthority signer() {
    return signer;
  }

  /** Every root trusted now: one, or two during a rotation. */
  public List<X509Certificate> trustBundle() {
    return bundle;
  }

  /** Signs a leaf for {@code id}: leaf, intermediates, root. */
  public List<X509Certificate> issue(SpiffeId id, PublicKey publicKey, Duration lifetime) {
    return signer.issue(id, publicKey, lifetime);
  }

  /** Calls {@code listener} with the signer now and on every change. */
  public void onSignerChange(Consumer<SigningAuthority> listener) {
    signerListeners.add(listener);
    listener.accept(signer);
  }

  /** Calls {@code listener} with the bundle now and on every change. */
  public void onBundleChange(Consumer<List<X509Certificate>> listener) {
    bundleListeners.add(listener);
    listener.accept(bundle);
  }

  /**
   * Puts {@code newSigner} in force at once, trusted alone, persisted in {@code newStore} from now
   * on (Kubernetes mode takes over from the root the control plane started with).
   */
  public synchronized void replace(SigningAuthority newSigner, RootStore newStore) {
    this.store = requireNonNull(newStore, "newStore");
    rotations++;
    rotationEnds = java.time.Instant.MIN;
    setBundle(List.of(newSigner.root()));
    setSigner(newSigner);
  }

  /**
   * Starts a root rotation (see the class comment) and returns the new root.
   *
   * @throws IllegalStateException when the signer was plugged in ({@code cacerts}): its root
   *     belongs to the user, who replaces the files instead
   */
  public synchronized X509Certificate rotateRoot(Duration overlap) {
    requireNonNull(overlap, "overlap");
    if (overlap.isNegative()) {
      throw new IllegalArgumentException("overlap: " + overlap + " (expected: >= 0)");
    }
    if (!signer.selfSigned()) {
      throw new IllegalStateException("rotateRoot: the signing CA is plugged in from cacerts"
          + " (expected: a generated root; to rotate a plugged-in CA, replace its files)");
    }
    java.time.Instant now = java.time.Instant.now();
    if (now.isBefore(rotationEnds)) {
      throw new IllegalStateException("rotateRoot: a rotation is under way until " + rotationEnds
          + " (expected: one rotation at a time)");
    }
    rotationEnds = now.plus(overlap);
    SigningAuthority old = signer;
    SigningAuthority next = SigningAuthority.generateRoot(algorithm, organization);
    store.save(next);
    long rotation = ++rotations;
    List<X509Certificate> both = new ArrayList<>(bundle);
    both.add(next.root());
    setBundle(both);
    log.info("root rotation: new root {} trusted; it signs in {}, the old root is dropped in {}",
        next.root().getSerialNumber().toString(16), overlap.dividedBy(2), overlap);
    scheduler.schedule(() -> {
      synchronized (this) {
        if (rotations == rotation) {
          setSigner(next);
        }
      }
    }, overlap.toMillis() / 2, TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> {
      synchronized (this) {
        List<X509Certificate> left = new ArrayList<>(bundle);
        left.remove(old.root());
        if (rotations == rotation) {
          // a signer switch due at the same instant must have happened first
          setSigner(next);
        }
        setBundle(left.isEmpty() ? List.of(signer.root()) : left);
      }
    }, overlap.toMillis(), TimeUnit.MILLISECONDS);
    return next.root();
  }

  private void setSigner(SigningAuthority s) {
    if (s == signer) {
      return;
    }
    signer = s;
    signerListeners.forEach(l -> l.accept(s));
  }

  private void setBundle(List<X509Certificate> roots) {
    bundle = List.copyOf(roots);
    bundleListeners.forEach(l -> l.accept(bundle));
  }
}
