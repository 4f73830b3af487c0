package io.inboard.mesh.security.internal.identity;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.security.SpiffeId;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * One generation of a workload's TLS material, replaced as a whole on every rotation: the key
 * and chain are always handed out together with the roots they were issued under (see
 * grpc-java#13058: grpc-xds applies a new key only together with new roots).
 *
 * @param id the identity in the leaf's URI SAN
 * @param key the leaf's private key; it never leaves the process that generated it
 * @param chain leaf first, then intermediates (the root may be included last)
 * @param roots the trust anchors peers are checked against: more than one while a root is
 *     being rotated
 * @param generation increases with every rotation, starting at 1
 */
public record IdentityMaterial(SpiffeId id, PrivateKey key, List<X509Certificate> chain,
    List<X509Certificate> roots, long generation) {

  public IdentityMaterial {
    requireNonNull(id, "id");
    requireNonNull(key, "key");
    chain = List.copyOf(chain);
    roots = List.copyOf(roots);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: empty (expected: the leaf first)");
    }
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("roots: empty (expected: at least one trust anchor)");
    }
  }

  /** The workload's own certificate. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** When the leaf expires. */
  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /** The same key and chain trusting {@code newRoots}, as the next generation. */
  public IdentityMaterial withRoots(List<X509Certificate> newRoots) {
    return new IdentityMaterial(id, key, chain, newRoots, generation + 1);
  }
}
