package io.inboard.mesh.http.internal.tls;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a destination's connections speak, parsed once per cluster update from its
 * {@code transport_socket}. Two destinations with equal settings share one JDK client.
 */
public sealed interface UpstreamTls {

  /** No {@code transport_socket}: plain HTTP. */
  UpstreamTls PLAINTEXT = new Plaintext();

  /** Whether calls go as {@code https}. */
  default boolean secure() {
    return !(this instanceof Plaintext);
  }

  /** Plain HTTP. */
  record Plaintext() implements UpstreamTls {}

  /**
   * The mesh's own mTLS (DestinationRule ISTIO_MUTUAL, or auto-mTLS): the workload's certificate
   * and roots, the server accepted only with one of {@code subjectAltNames}.
   *
   * @param subjectAltNames the SPIFFE IDs the server may present; empty accepts any identity of
   *     the trust domain, as Envoy does with no {@code match_subject_alt_names}
   * @param sni the server name the cluster asks for ({@code ""} for none); not sent (see {@code
   *     TlsClients})
   */
  record IstioMutual(Set<String> subjectAltNames, String sni) implements UpstreamTls {
    public IstioMutual {
      subjectAltNames = Set.copyOf(subjectAltNames);
      requireNonNull(sni, "sni");
    }
  }

  /**
   * SIMPLE or MUTUAL whose certificates the control plane could not provide (a {@code
   * credentialName} Secret or its keys missing): every call is refused with {@code reason}
   * rather than sent without them.
   *
   * @param reason what is missing, as the control plane said
   */
  record Unavailable(String reason) implements UpstreamTls {
    public Unavailable {
      requireNonNull(reason, "reason");
    }
  }

  /**
   * A DestinationRule's own SIMPLE or MUTUAL settings, with the PEM text already read from files
   * or inline bytes.
   *
   * @param certificateChainPem the client's chain (MUTUAL), else empty
   * @param privateKeyPem the client's key (MUTUAL), else empty
   * @param trustedCaPem the CAs the server must chain to; empty with {@code verify} means the
   *     JDK's default trust store
   * @param verify false when the cluster has no {@code validation_context}
   *     ({@code insecureSkipVerify}): any server certificate is accepted
   * @param subjectAltNames matchers of which at least one must match one of the server's SANs
   *     (DNS, URI, IP or e-mail); empty checks no names
   * @param sni the server name sent in the handshake, {@code ""} for none
   */
  record Custom(Optional<String> certificateChainPem, Optional<String> privateKeyPem,
      Optional<String> trustedCaPem, boolean verify, List<StringMatcher> subjectAltNames,
      String sni) implements UpstreamTls {
    public Custom {
      requireNonNull(certificateChainPem, "certificateChainPem");
      requireNonNull(privateKeyPem, "privateKeyPem");
      requireNonNull(trustedCaPem, "trustedCaPem");
      subjectAltNames = List.copyOf(subjectAltNames);
      requireNonNull(sni, "sni");
    }

    /** Whether the client presents a certificate (MUTUAL). */
    public boolean mutual() {
      return certificateChainPem.isPresent();
    }
  }
}
