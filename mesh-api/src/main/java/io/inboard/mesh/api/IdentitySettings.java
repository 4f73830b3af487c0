package io.inboard.mesh.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How a workload gets its mesh identity (an X.509 certificate carrying
 * {@code spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>}) from the mesh CA, as
 * Istio's agent does: a fresh key made in the process for each certificate, a CSR sent to the
 * CA's {@code IstioCertificateService} over TLS with the workload's token, renewal at half of
 * each certificate's life. Present in {@link Mesh.Settings#identity()} when identity is on; see
 * {@link MeshBuilder#mtls(boolean)} for when that is.
 *
 * @param caAddress {@code host:port} of the CA, such as {@code istiod.istio-system.svc:15012}
 * @param tokenFile the file holding the workload's bearer token, re-read for every request (a
 *     projected Kubernetes token rotates)
 * @param rootCertFile the PEM bundle of every trusted root (old and new during a root rotation),
 *     which the CA's own certificate must verify against; re-read every
 *     {@code rootCertRefreshInterval}
 * @param trustDomain the trust domain of the workload's SPIFFE ID
 * @param certificateLifetime the lifetime asked of the CA for each certificate
 * @param keyType the type of the workload's keys
 * @param rootCertRefreshInterval how often {@code rootCertFile} is re-read
 */
public record IdentitySettings(String caAddress, Path tokenFile, Path rootCertFile,
    String trustDomain, Duration certificateLifetime, KeyType keyType,
    Duration rootCertRefreshInterval) {

  /** The CA's port when it is taken from the control plane's host: 15012, as in Istio. */
  public static final int DEFAULT_CA_PORT = 15012;

  /** The trust domain when none is given: {@code cluster.local}. */
  public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

  /** The certificate lifetime when none is given: 24 hours, Istio's {@code SECRET_TTL}. */
  public static final Duration DEFAULT_CERTIFICATE_LIFETIME = Duration.ofHours(24);

  /** The longest certificate lifetime accepted: 90 days, Istio's {@code MAX_WORKLOAD_CERT_TTL}. */
  public static final Duration MAX_CERTIFICATE_LIFETIME = Duration.ofDays(90);

  /** How often the root bundle is re-read when not said otherwise: every 10 seconds. */
  public static final Duration DEFAULT_ROOT_CERT_REFRESH_INTERVAL = Duration.ofSeconds(10);

  /** Istio's projected token for the CA (audience {@code istio-ca}), used when it exists. */
  public static final Path ISTIO_TOKEN_FILE = Path.of("/var/run/secrets/tokens/istio-token");

  /** Where Istio mounts the {@code istio-ca-root-cert} ConfigMap, used when it exists. */
  public static final Path ISTIO_ROOT_CERT_FILE = Path.of("/var/run/secrets/istio/root-cert.pem");

  private static final Pattern HOST_PORT = Pattern.compile("[^:/\\s]+:\\d{1,5}");
  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");

  /** The workload's key type. */
  public enum KeyType {
    /** ECDSA on P-256: the default, with much cheaper handshakes than RSA. */
    EC_P256,
    /** RSA 2048, Istio's default. */
    RSA_2048
  }

  /**
   * @throws IllegalArgumentException {@code field: value (expected: ...)} for an invalid value
   */
  public IdentitySettings {
    requireNonNull(caAddress, "caAddress");
    requireNonNull(tokenFile, "tokenFile");
    requireNonNull(rootCertFile, "rootCertFile");
    requireNonNull(trustDomain, "trustDomain");
    requireNonNull(certificateLifetime, "certificateLifetime");
    requireNonNull(keyType, "keyType");
    requireNonNull(rootCertRefreshInterval, "rootCertRefreshInterval");
    if (!HOST_PORT.matcher(caAddress).matches()
        || Integer.parseInt(caAddress.substring(caAddress.lastIndexOf(':') + 1)) > 65535) {
      throw new IllegalArgumentException("caAddress: '" + caAddress
          + "' (expected: host:port, such as istiod.istio-system.svc:15012)");
    }
    if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
      throw new IllegalArgumentException("trustDomain: '" + trustDomain
          + "' (expected: lower-case letters, digits, '.', '-', '_', such as cluster.local)");
    }
    if (certificateLifetime.compareTo(Duration.ofSeconds(1)) < 0
        || certificateLifetime.compareTo(MAX_CERTIFICATE_LIFETIME) > 0) {
      throw new IllegalArgumentException("certificateLifetime: " + certificateLifetime
          + " (expected: >= 1s and <= 90d)");
    }
    if (rootCertRefreshInterval.isNegative() || rootCertRefreshInterval.isZero()) {
      throw new IllegalArgumentException("rootCertRefreshInterval: " + rootCertRefreshInterval
          + " (expected: > 0)");
    }
  }

  /** The CA's host, for TLS hostname verification. */
  public String caHost() {
    return caAddress.substring(0, caAddress.lastIndexOf(':'));
  }

  /** The CA's port. */
  public int caPort() {
    return Integer.parseInt(caAddress.substring(caAddress.lastIndexOf(':') + 1));
  }
}
