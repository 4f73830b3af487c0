package io.inboard.mesh.controlplane.internal.model;

import io.inboard.mesh.controlplane.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the certificates a DestinationRule's {@code tls.credentialName} names, as Istio's
 * sidecars read them for client TLS (and a Gateway server's, for server TLS, see {@link
 * #findServer}): the Secret of that name in the rule's namespace, with
 * either {@code tls.crt}/{@code tls.key}/{@code ca.crt} or {@code cert}/{@code key}/{@code
 * cacert}; the CA may also come from a Secret named {@code <credentialName>-cacert} (keys
 * {@code ca.crt} or {@code cacert}), which wins.
 *
 * <p>MUTUAL needs the client certificate and key; SIMPLE needs the CA unless {@code
 * insecureSkipVerify}. A MUTUAL credential without a CA verifies the server against the JDK's
 * trust store, as a MUTUAL rule without {@code caCertificates} does.
 */
public final class CredentialLookup {
  /** The suffix of the Secret that may hold the CA apart, as Istio's {@code SdsCaSuffix}. */
  public static final String CA_SUFFIX = "-cacert";

  private CredentialLookup() {}

  /**
   * What was found: PEM text, and {@code problems} (empty when the credential is complete) each
   * saying what is missing, for a diagnostic and for the calls that fail.
   */
  public record Found(Optional<String> certificateChain, Optional<String> privateKey,
      Optional<String> caCertificates, List<String> problems) {
    public Found {
      problems = List.copyOf(problems);
    }

    public boolean complete() {
      return problems.isEmpty();
    }
  }

  /**
   * Looks up a Gateway server's {@code credentialName} in {@code namespace} (the gateway
   * workload's, as Istio does), with the same keys as for clients: the certificate and key are
   * always needed, and for MUTUAL the CA that client certificates chain to.
   *
   * @param secrets the stored Secret of an id, if any
   */
  public static Found findServer(boolean mutual, String credentialName, String namespace,
      Function<ResourceId, Optional<ParsedResource.Secret>> secrets) {
    String name = namespace + "/" + credentialName;
    String mode = mutual ? "MUTUAL" : "SIMPLE";
    Optional<ParsedResource.Secret> secret = secrets.apply(
        new ResourceId("Secret", namespace, credentialName));
    Optional<ParsedResource.Secret> caSecret = secrets.apply(
        new ResourceId("Secret", namespace, credentialName + CA_SUFFIX));
    List<String> problems = new ArrayList<>();
    Optional<String> cert = Optional.empty();
    Optional<String> key = Optional.empty();
    if (secret.isEmpty()) {
      problems.add("Secret " + name + " not found (expected: one with keys tls.crt and"
          + " tls.key, or cert and key, for server TLS mode " + mode + ")");
    } else {
      Optional<String[]> pair = certificateAndKey(secret.get());
      if (pair.isPresent()) {
        cert = Optional.of(pair.get()[0]);
        key = Optional.of(pair.get()[1]);
      } else {
        problems.add("Secret " + name + " has keys " + new java.util.TreeSet<>(
            secret.get().data().keySet()) + " (expected: tls.crt and tls.key, or cert and key,"
            + " for server TLS mode " + mode + ")");
      }
    }
    Optional<String> ca = caSecret.flatMap(s -> s.value("cacert", "ca.crt"))
        .or(() -> secret.flatMap(s -> s.value("cacert", "ca.crt")));
    if (mutual && secret.isPresent() && ca.isEmpty()) {
      problems.add("no CA certificate in Secret " + name + " or " + name + CA_SUFFIX
          + " (expected: key ca.crt or cacert, for server TLS mode MUTUAL)");
    }
    return new Found(cert, key, mutual ? ca : Optional.empty(), problems);
  }

  /** {@code cert}/{@code key}, else {@code tls.crt}/{@code tls.key}, as Istio reads them. */
  private static Optional<String[]> certificateAndKey(ParsedResource.Secret s) {
    if (s.data().containsKey("cert") && s.data().containsKey("key")) {
      return Optional.of(new String[] {s.data().get("cert"), s.data().get("key")});
    }
    if (s.data().containsKey("tls.crt") && s.data().containsKey("tls.key")) {
      return Optional.of(new String[] {s.data().get("tls.crt"), s.data().get("tls.key")});
    }
    return Optional.empty();
  }

  /**
   * Looks up {@code tls.credentialName()} (non-empty) in {@code namespace}.
   *
   * @param secrets the stored Secret of an id, if any
   */
  public static Found find(ClientTls.Mode mode, String credentialName, boolean insecureSkipVerify,
      String namespace, Function<ResourceId, Optional<ParsedResource.Secret>> secrets) {
    String name = namespace + "/" + credentialName;
    Optional<ParsedResource.Secret> secret = secrets.apply(
        new ResourceId("Secret", namespace, credentialName));
    Optional<ParsedResource.Secret> caSecret = secrets.apply(
        new ResourceId("Secret", namespace, credentialName + CA_SUFFIX));
    List<String> problems = new ArrayList<>();
    Optional<String> cert = Optional.empty();
    Optional<String> key = Optional.empty();
    if (mode == ClientTls.Mode.MUTUAL) {
      if (secret.isEmpty()) {
        problems.add("Secret " + name + " not found (expected: one with keys tls.crt and"
            + " tls.key, or cert and key, for mode MUTUAL)");
      } else if (certificateAndKey(secret.get()).isPresent()) {
        cert = Optional.of(certificateAndKey(secret.get()).get()[0]);
        key = Optional.of(certificateAndKey(secret.get()).get()[1]);
      } else {
        problems.add("Secret " + name + " has keys " + new java.util.TreeSet<>(
            secret.get().data().keySet()) + " (expected: tls.crt and tls.key, or cert and key,"
            + " for mode MUTUAL)");
      }
    }
    Optional<String> ca = caSecret.flatMap(s -> s.value("cacert", "ca.crt"))
        .or(() -> secret.flatMap(s -> s.value("cacert", "ca.crt")));
    if (mode == ClientTls.Mode.SIMPLE && !insecureSkipVerify && ca.isEmpty()) {
      problems.add(secret.isEmpty() && caSecret.isEmpty()
          ? "Secret " + name + " not found (expected: one with key ca.crt or cacert, or a"
              + " Secret " + name + CA_SUFFIX + ", for mode SIMPLE)"
          : "no CA certificate in Secret " + name + (caSecret.isPresent() ? " or " + name
              + CA_SUFFIX : "") + " (expected: key ca.crt or cacert, for mode SIMPLE)");
    }
    return new Found(cert, key, ca, problems);
  }
}
