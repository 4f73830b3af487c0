package io.inboard.mesh.security;

import static java.util.Objects.requireNonNull;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A workload's identity in the mesh, as Istio writes it into certificates:
 * {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}.
 *
 * <pre>{@code
 * SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/bookinfo-reviews");
 * id.serviceAccount();   // "bookinfo-reviews"
 * id.principal();        // "cluster.local/ns/default/sa/bookinfo-reviews", as AuthorizationPolicy writes it
 * }</pre>
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {

  private static final String SCHEME = "spiffe://";
  // trust domains are DNS-like; namespaces and service accounts are Kubernetes names
  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  public SpiffeId {
    requireNonNull(trustDomain, "trustDomain");
    requireNonNull(namespace, "namespace");
    requireNonNull(serviceAccount, "serviceAccount");
    check("trustDomain", trustDomain, TRUST_DOMAIN, "lower-case letters, digits, '.', '-', '_'");
    check("namespace", namespace, NAME, "a Kubernetes name");
    check("serviceAccount", serviceAccount, NAME, "a Kubernetes name");
  }

  /** The identity of {@code serviceAccount} in {@code namespace} under {@code trustDomain}. */
  public static SpiffeId of(String trustDomain, String namespace, String serviceAccount) {
    return new SpiffeId(trustDomain, namespace, serviceAccount);
  }

  /**
   * Parses {@code spiffe://<td>/ns/<ns>/sa/<sa>}.
   *
   * @throws IllegalArgumentException naming the value and the expected form
   */
  public static SpiffeId parse(String uri) {
    requireNonNull(uri, "uri");
    String[] parts = uri.startsWith(SCHEME) ? uri.substring(SCHEME.length()).split("/", -1)
        : new String[0];
    if (parts.length != 5 || !parts[1].equals("ns") || !parts[3].equals("sa")) {
      throw new IllegalArgumentException("SPIFFE ID: '" + uri
          + "' (expected: spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>)");
    }
    try {
      return new SpiffeId(parts[0], parts[2], parts[4]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SPIFFE ID '" + uri + "': " + e.getMessage(), e);
    }
  }

  /**
   * The certificate's identity: its one {@code spiffe://} URI SAN (the X509-SVID rule), or empty
   * when it has none, several, or one that is not a mesh identity.
   */
  public static Optional<SpiffeId> fromCertificate(X509Certificate certificate) {
    List<String> uris = spiffeUris(certificate);
    if (uris.size() != 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(uris.get(0)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Every {@code spiffe://} URI SAN of {@code certificate}. */
  static List<String> spiffeUris(X509Certificate certificate) {
    List<String> uris = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans == null) {
        return uris;
      }
      for (List<?> san : sans) {
        // type 6 = uniformResourceIdentifier (RFC 5280)
        if (Integer.valueOf(6).equals(san.get(0)) && san.get(1) instanceof String s
            && s.startsWith(SCHEME)) {
          uris.add(s);
        }
      }
    } catch (CertificateParsingException e) {
      return List.of();
    }
    return uris;
  }

  /** {@code <td>/ns/<ns>/sa/<sa>}: the form AuthorizationPolicy {@code principals} use. */
  public String principal() {
    return trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
  }

  /** {@code spiffe://<td>/ns/<ns>/sa/<sa>}. */
  @Override
  public String toString() {
    return SCHEME + principal();
  }

  private static void check(String field, String value, Pattern pattern, String expected) {
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(field + ": '" + value + "' (expected: " + expected + ")");
    }
  }
}
