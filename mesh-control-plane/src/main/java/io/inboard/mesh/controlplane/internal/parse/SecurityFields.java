package io.inboard.mesh.controlplane.internal.parse;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of Istio's security.istio.io messages that the security parsers read. Every field
 * of PeerAuthentication is served; AuthorizationPolicy and RequestAuthentication are served as
 * written, and what the workloads' compiler does differently from Istio it reports itself. A
 * field outside these sets is reported as a likely typo, as for the networking kinds; in an
 * AuthorizationPolicy or RequestAuthentication the workloads' compiler then refuses it, as a
 * field no workload could enforce.
 */
public final class SecurityFields {
  private SecurityFields() {}

  static final IstioFields WORKLOAD_SELECTOR = fields("WorkloadSelector", "matchLabels");

  static final IstioFields TARGET_REF = fields("PolicyTargetReference",
      "group", "kind", "name", "namespace");

  static final IstioFields PEER_AUTHENTICATION = fields("PeerAuthentication",
      "selector", "mtls", "portLevelMtls");

  static final IstioFields MUTUAL_TLS = fields("PeerAuthentication.MutualTLS", "mode");

  static final IstioFields AUTHORIZATION_POLICY = fields("AuthorizationPolicy",
      "selector", "targetRef", "targetRefs", "action", "provider", "rules");

  static final IstioFields EXTENSION_PROVIDER = fields("AuthorizationPolicy.ExtensionProvider",
      "name");

  static final IstioFields RULE = fields("Rule", "from", "to", "when");

  static final IstioFields RULE_FROM = fields("Rule.From", "source");

  static final IstioFields RULE_TO = fields("Rule.To", "operation");

  /** Source's string-list fields, in Istio's order ({@code serviceAccounts}: Istio 1.25+). */
  static final List<String> SOURCE_LISTS = List.of("principals", "notPrincipals",
      "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces",
      "serviceAccounts", "notServiceAccounts");

  /** Source's IP-block fields, each a list of IPs or CIDR ranges. */
  static final List<String> SOURCE_IP_BLOCKS = List.of("ipBlocks", "notIpBlocks",
      "remoteIpBlocks", "notRemoteIpBlocks");

  static final IstioFields SOURCE = new IstioFields("Source",
      union(SOURCE_LISTS, SOURCE_IP_BLOCKS), Map.of());

  /** Operation's string-list fields other than ports. */
  static final List<String> OPERATION_LISTS = List.of("hosts", "notHosts", "methods",
      "notMethods", "paths", "notPaths");

  static final List<String> OPERATION_PORTS = List.of("ports", "notPorts");

  static final IstioFields OPERATION = new IstioFields("Operation",
      union(OPERATION_LISTS, OPERATION_PORTS), Map.of());

  static final IstioFields CONDITION = fields("Condition", "key", "values", "notValues");

  static final IstioFields REQUEST_AUTHENTICATION = fields("RequestAuthentication",
      "selector", "targetRef", "targetRefs", "jwtRules");

  static final IstioFields JWT_RULE = fields("JWTRule", "issuer", "audiences", "jwksUri",
      "jwks", "fromHeaders", "fromParams", "fromCookies", "outputPayloadToHeader",
      "outputClaimToHeaders", "forwardOriginalToken", "timeout", "spaceDelimitedClaims");

  static final IstioFields JWT_HEADER = fields("JWTHeader", "name", "prefix");

  static final IstioFields CLAIM_TO_HEADER = fields("ClaimToHeader", "header", "claim");

  private static IstioFields fields(String type, String... read) {
    return new IstioFields(type, Set.of(read), Map.of());
  }

  private static Set<String> union(List<String> a, List<String> b) {
    Set<String> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return out;
  }
}
