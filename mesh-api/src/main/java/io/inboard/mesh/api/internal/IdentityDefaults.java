package io.inboard.mesh.api.internal;

import io.inboard.mesh.api.IdentitySettings;
import io.inboard.mesh.api.IdentitySettings.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a workload has a mesh identity, filling in what the application did not say
 * from the environment, as Istio's agent does: the CA address from {@code CA_ADDR} or the first
 * control plane's host on port 15012; the token from {@code INBOARD_IDENTITY_TOKEN_FILE} or
 * Istio's projected token; the roots from {@code INBOARD_CA_ROOT_CERT} or Istio's mounted
 * {@code root-cert.pem}.
 *
 * <p>Identity is on when all three are available. A file named by the application or by one of
 * the two environment variables must be readable; Istio's well-known paths are used only when
 * they exist. Identity is off with {@code mtls(false)}; with {@code mtls(true)}, or when the
 * application named some of the three itself, a missing one fails the build.
 */
public final class IdentityDefaults {

  /** Env: the CA's {@code host:port}, as Istio's agent reads it. */
  public static final String CA_ADDR_ENV = "CA_ADDR";
  /** Env: the workload's token file. */
  public static final String TOKEN_FILE_ENV = "INBOARD_IDENTITY_TOKEN_FILE";
  /** Env: the root bundle file. */
  public static final String ROOT_CERT_ENV = "INBOARD_CA_ROOT_CERT";

  private static final Logger log = LoggerFactory.getLogger(IdentityDefaults.class);

  /** What the application gave {@code MeshBuilder}; {@code null} where it said nothing. */
  public record Given(Boolean mtls, String caAddress, Path tokenFile, Path rootCertFile,
      String trustDomain, Duration certificateLifetime, KeyType keyType,
      Duration rootCertRefreshInterval) {}

  private IdentityDefaults() {}

  /** {@link #resolve(Given, List, Function, Predicate)} with this process's environment. */
  public static Optional<IdentitySettings> resolve(Given given, List<String> controlPlanes) {
    return resolve(given, controlPlanes, System::getenv, Files::isReadable);
  }

  /**
   * The identity settings, or empty when identity is off.
   *
   * @param controlPlanes the mesh's control planes ({@code host:port}), empty outside xDS mode
   * @param env reads an environment variable ({@code null} when unset)
   * @param readable whether a file is readable
   * @throws IllegalArgumentException {@code field: value (expected: ...)}
   */
  public static Optional<IdentitySettings> resolve(Given given, List<String> controlPlanes,
      Function<String, String> env, Predicate<Path> readable) {
    if (Boolean.FALSE.equals(given.mtls())) {
      return Optional.empty();
    }
    boolean named = given.caAddress() != null || given.tokenFile() != null
        || given.rootCertFile() != null;
    boolean required = Boolean.TRUE.equals(given.mtls()) || named;

    String ca = given.caAddress() != null ? given.caAddress() : blankToNull(env.apply(CA_ADDR_ENV));
    if (ca == null && !controlPlanes.isEmpty()) {
      String first = controlPlanes.get(0);
      ca = first.substring(0, first.lastIndexOf(':')) + ":" + IdentitySettings.DEFAULT_CA_PORT;
    }
    Path token = file("identityTokenFile", given.tokenFile(), TOKEN_FILE_ENV,
        IdentitySettings.ISTIO_TOKEN_FILE, env, readable);
    Path roots = file("caRootCertFile", given.rootCertFile(), ROOT_CERT_ENV,
        IdentitySettings.ISTIO_ROOT_CERT_FILE, env, readable);

    List<String> missing = new ArrayList<>();
    if (ca == null) {
      missing.add("caAddress: none (expected: MeshBuilder.caAddress(host:port), env "
          + CA_ADDR_ENV + ", or a control plane, whose host serves the CA on port "
          + IdentitySettings.DEFAULT_CA_PORT + ")");
    }
    if (token == null) {
      missing.add("identityTokenFile: none (expected: MeshBuilder.identityTokenFile(path), env "
          + TOKEN_FILE_ENV + ", or " + IdentitySettings.ISTIO_TOKEN_FILE + ")");
    }
    if (roots == null) {
      missing.add("caRootCertFile: none (expected: MeshBuilder.caRootCertFile(path), env "
          + ROOT_CERT_ENV + ", or " + IdentitySettings.ISTIO_ROOT_CERT_FILE + ")");
    }
    if (!missing.isEmpty()) {
      if (required) {
        throw new IllegalArgumentException("mTLS identity: " + String.join("; ", missing)
            + (named ? " (some identity settings were given, so all three are needed)" : ""));
      }
      if (token != null || roots != null) {
        log.warn("No mesh identity, so no mTLS: {}", String.join("; ", missing));
      }
      return Optional.empty();
    }
    return Optional.of(new IdentitySettings(ca, token, roots,
        or(given.trustDomain(), IdentitySettings.DEFAULT_TRUST_DOMAIN),
        or(given.certificateLifetime(), IdentitySettings.DEFAULT_CERTIFICATE_LIFETIME),
        or(given.keyType(), KeyType.EC_P256),
        or(given.rootCertRefreshInterval(), IdentitySettings.DEFAULT_ROOT_CERT_REFRESH_INTERVAL)));
  }

  private static Path file(String field, Path given, String envName, Path wellKnown,
      Function<String, String> env, Predicate<Path> readable) {
    String fromEnv = blankToNull(env.apply(envName));
    Path named = given != null ? given : fromEnv != null ? Path.of(fromEnv) : null;
    if (named != null) {
      if (!readable.test(named)) {
        throw new IllegalArgumentException(field + ": '" + named + "'"
            + (given == null ? " (from env " + envName + ")" : "")
            + " (expected: a readable file)");
      }
      return named;
    }
    return readable.test(wellKnown) ? wellKnown : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static <T> T or(T value, T otherwise) {
    return value != null ? value : otherwise;
  }
}
