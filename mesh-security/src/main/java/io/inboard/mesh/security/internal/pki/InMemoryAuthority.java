package io.inboard.mesh.security.internal.pki;

import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A root CA held in memory that issues whole {@link IdentityMaterial}s: the workload's key is
 * made here too, so this is for tests and benchmarks (foreign CAs, expired certificates, fixed
 * identities), not for workloads, whose keys never leave them.
 */
public final class InMemoryAuthority {
  private final KeyAlgorithm algorithm;
  private final KeyPair keys;
  private final X509Certificate root;
  private final AtomicLong generations = new AtomicLong();

  private InMemoryAuthority(KeyAlgorithm algorithm, String organization) {
    this.algorithm = algorithm;
    this.keys = algorithm.generate();
    this.root = Certificates.selfSignedRoot(keys, organization, Duration.ofDays(3650));
  }

  /** A new ECDSA P-256 root named {@code O=organization}. */
  public static InMemoryAuthority create(String organization) {
    return new InMemoryAuthority(KeyAlgorithm.EC_P256, organization);
  }

  /** A new root of {@code algorithm} named {@code O=organization}. */
  public static InMemoryAuthority create(KeyAlgorithm algorithm, String organization) {
    return new InMemoryAuthority(algorithm, organization);
  }

  public X509Certificate root() {
    return root;
  }

  public KeyPair keys() {
    return keys;
  }

  /** A fresh key and a certificate for {@code id} valid for {@code lifetime}, trusting this root. */
  public IdentityMaterial issue(SpiffeId id, Duration lifetime) {
    return issue(id, lifetime, List.of(root));
  }

  /** As {@link #issue(SpiffeId, Duration)}, trusting {@code roots} instead. */
  public IdentityMaterial issue(SpiffeId id, Duration lifetime, List<X509Certificate> roots) {
    KeyPair leafKeys = algorithm.generate();
    X509Certificate leaf = Certificates.leaf(id, leafKeys.getPublic(), lifetime, root,
        keys.getPrivate());
    return new IdentityMaterial(id, leafKeys.getPrivate(), List.of(leaf, root), roots,
        generations.incrementAndGet());
  }

  /** A certificate for {@code id} that expired {@code ago}. */
  public IdentityMaterial issueExpired(SpiffeId id, Duration ago) {
    KeyPair leafKeys = algorithm.generate();
    Instant end = Instant.now().minus(ago);
    X509Certificate leaf = Certificates.leaf(id, leafKeys.getPublic(),
        end.minus(Duration.ofHours(1)), end, root, keys.getPrivate());
    return new IdentityMaterial(id, leafKeys.getPrivate(), List.of(leaf, root), List.of(root),
        generations.incrementAndGet());
  }
}
