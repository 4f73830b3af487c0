package io.inboard.mesh.controlplane.internal.ca;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.Certificates;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One key that signs workload certificates, with its chain up to the root: a self-signed root
 * (chain = the root alone), or an intermediate plugged in from {@code cacerts} (chain =
 * intermediate, its issuers, root).
 *
 * @param key the signing key
 * @param chain the signing certificate first, the root last
 */
public record SigningAuthority(PrivateKey key, List<X509Certificate> chain) {

  /** Lifetime of a generated root: 10 years, as istiod's self-signed root. */
  public static final Duration ROOT_LIFETIME = Duration.ofDays(3650);

  public SigningAuthority {
    requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: empty (expected: the signing certificate first,"
          + " the root last)");
    }
  }

  /**
   * A new self-signed root of {@code algorithm}, valid for {@link #ROOT_LIFETIME}, named
   * {@code O=<organization>, CN=Inboard root CA <date and time>}: each root has its own name.
   */
  public static SigningAuthority generateRoot(KeyAlgorithm algorithm, String organization) {
    KeyPair keys = algorithm.generate();
    String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
    return new SigningAuthority(keys.getPrivate(), List.of(Certificates.selfSignedRoot(keys,
        organization, "Inboard root CA " + stamp, ROOT_LIFETIME)));
  }

  /** The certificate that signs. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The trust anchor at the end of the chain. */
  public X509Certificate root() {
    return chain.get(chain.size() - 1);
  }

  /** Whether this is a self-signed root rather than a plugged-in intermediate. */
  public boolean selfSigned() {
    return chain.size() == 1;
  }

  /**
   * A leaf for {@code id} and {@code publicKey} with Istio's profile, then this chain: what the
   * CA API answers (leaf, intermediates, root). The leaf's lifetime is clamped to the signer's.
   */
  public List<X509Certificate> issue(SpiffeId id, PublicKey publicKey, Duration lifetime) {
    List<X509Certificate> out = new ArrayList<>(chain.size() + 1);
    out.add(Certificates.leaf(id, publicKey, lifetime, certificate(), key));
    out.addAll(chain);
    return out;
  }
}
