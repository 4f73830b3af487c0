package io.inboard.mesh.controlplane.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PeerAuthentication, AuthorizationPolicy and RequestAuthentication are validated as Istio
 * does, the latter two also compiled by the workloads' own compiler, and served when valid;
 * every refusal names the field. The valid samples follow Istio's security tasks.
 */
class SecurityResourceValidationTest {
  private final ResourceParser parser = new ResourceParser("default", "cluster.local");

  static final String DENY_ALL = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: deny-all, namespace: foo}
      spec: {}
      """;
  static final String ALLOW_GET = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: allow-get, namespace: foo}
      spec:
        selector: {matchLabels: {app: httpbin, version: v1}}
        action: ALLOW
        rules:
        - from:
          - source: {principals: ["cluster.local/ns/default/sa/sleep"]}
          - source: {namespaces: [dev], notIpBlocks: ["10.1.0.0/16", "2001:db8::/32"]}
          to:
          - operation: {methods: [GET], paths: ["/info*"], ports: ["8000"]}
          when:
          - key: request.auth.claims[iss]
            values: ["https://accounts.google.com"]
      """;
  static final String CUSTOM = """
      apiVersion: security.istio.io/v1beta1
      kind: AuthorizationPolicy
      metadata: {name: ext-authz}
      spec:
        targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: waypoint}]
        action: CUSTOM
        provider: {name: sample-ext-authz-grpc}
        rules: [{to: [{operation: {paths: ["/headers"]}}]}]
      """;
  static final String STRICT = """
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: default, namespace: foo}
      spec:
        mtls: {mode: STRICT}
      """;
  static final String PERMISSIVE_PORTS = """
      apiVersion: security.istio.io/v1beta1
      kind: PeerAuthentication
      metadata: {name: httpbin, namespace: foo}
      spec:
        selector: {matchLabels: {app: httpbin}}
        mtls: {mode: STRICT}
        portLevelMtls:
          8080: {mode: PERMISSIVE}
          "9090": {mode: DISABLE}
      """;
  static final String JWT = """
      apiVersion: security.istio.io/v1
      kind: RequestAuthentication
      metadata: {name: jwt-example, namespace: foo}
      spec:
        selector: {matchLabels: {app: httpbin}}
        jwtRules:
        - issuer: testing@secure.istio.io
          audiences: [app, web]
          jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.24/security/tools/\
      jwt/samples/jwks.json
          fromHeaders: [{name: x-jwt-assertion, prefix: "Bearer "}]
          fromParams: [my_token]
          outputPayloadToHeader: x-jwt-payload
          forwardOriginalToken: true
      """;

  static List<String> istioSecurityTaskSamples() {
    return List.of(DENY_ALL, ALLOW_GET, JWT);
  }

  static List<String> peerAuthenticationSamples() {
    return List.of(STRICT, PERMISSIVE_PORTS);
  }

  @ParameterizedTest
  @MethodSource("peerAuthenticationSamples")
  void acceptsIstioPeerAuthenticationSampleAndServesItWithoutFindings(String yaml) {
    ResourceParser.Result result = parser.parse("f", yaml);

    // the one note: PERMISSIVE on the JDK HttpServer means mTLS only (it cannot sniff)
    assertThat(result.diagnostics()).allSatisfy(d -> assertThat(d.message())
        .startsWith("PERMISSIVE: workloads serving HTTP on the JDK HttpServer"));
    assertThat(result.resources()).singleElement()
        .isInstanceOf(ParsedResource.PeerAuthentication.class);
  }

  @ParameterizedTest
  @MethodSource("istioSecurityTaskSamples")
  void acceptsIstioSecurityTaskSampleAndServesIt(String yaml) {
    ResourceParser.Result result = parser.parse("f", yaml);

    assertThat(result.hasErrors()).as(result.diagnostics().toString()).isFalse();
    assertThat(result.diagnostics()).extracting(Diagnostic::severity)
        .doesNotContain(Diagnostic.Severity.NOT_SERVED);
    assertThat(result.resources()).singleElement().isInstanceOfAny(
        ParsedResource.AuthorizationPolicy.class, ParsedResource.RequestAuthentication.class);
  }

  @Test
  void keepsSelectorAndSpecAsWritten() {
    ParsedResource.AuthorizationPolicy p = (ParsedResource.AuthorizationPolicy) parser
        .parse("f", ALLOW_GET).resources().get(0);

    assertThat(p.selector()).isEqualTo(java.util.Map.of("app", "httpbin", "version", "v1"));
    assertThat(p.source().id()).isEqualTo("foo/allow-get");
    assertThat(p.source().spec()).containsEntry("action", "ALLOW").containsKey("rules");
  }

  @Test
  void policyThatOnlyTargetsAWaypointIsStoredButAppliedToNoWorkload() {
    ResourceParser.Result result = parser.parse("f", CUSTOM);

    assertThat(result.hasErrors()).as(result.diagnostics().toString()).isFalse();
    assertThat(result.resources()).singleElement().isInstanceOf(ParsedResource.Stored.class);
    assertThat(result.diagnostics()).filteredOn(d -> d.field().equals("spec.targetRefs"))
        .singleElement().satisfies(d -> {
          assertThat(d.severity()).isEqualTo(Diagnostic.Severity.WARNING);
          assertThat(d.message()).startsWith("not applied: this policy targets a Gateway or"
              + " Service (a waypoint)");
        });
  }

  @Test
  void compilerWarningsBecomeWarningsOnTheirField() {
    ResourceParser.Result result = parser.parse("f", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: mysql, namespace: foo}
        spec:
          selector: {matchLabels: {app: db}}
          action: DENY
          rules:
          - when:
            - key: experimental.envoy.filters.network.mysql_proxy[db.table]
              values: ["[update]"]
        """);

    assertThat(result.hasErrors()).as(result.diagnostics().toString()).isFalse();
    assertThat(result.resources()).singleElement()
        .isInstanceOf(ParsedResource.AuthorizationPolicy.class);
    assertThat(result.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.severity()).isEqualTo(Diagnostic.Severity.WARNING);
      assertThat(d.field()).isEqualTo("spec.rules[0].when[0].key");
      assertThat(d.message()).startsWith("'experimental.envoy.filters.network.mysql_proxy"
          + "[db.table]' cannot be evaluated by Inboard");
    });
  }

  @Test
  void refusesUnknownPolicyFieldsSinceWorkloadsCouldNotCompileThem() {
    ResourceParser.Result result = parser.parse("f", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: typo}
        spec:
          action: DENY
          rules: [{from: [{source: {principals: [a], principal: [a]}}]}]
        """);

    // unlike a networking typo (warned about, ignored): the workloads' compiler refuses it,
    // so serving it would leave them unable to enforce the policy
    assertThat(result.resources()).isEmpty();
    assertThat(result.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.severity()).isEqualTo(Diagnostic.Severity.ERROR);
      assertThat(d.field()).isEqualTo("spec.rules[0].from[0].source.principal");
    });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{action: BLOCK}"
          + "| spec.action: 'BLOCK' (expected: one of ALLOW, DENY, AUDIT, CUSTOM)",
      "{action: CUSTOM}"
          + "| spec.provider.name: missing (expected: the name of an extension provider, as"
          + " action is CUSTOM)",
      "{action: DENY, provider: {name: opa}}"
          + "| spec.provider: a mapping (expected: no provider unless action is CUSTOM)",
      "{rules: [{to: [{operation: {notPorts: ['70000']}}]}]}"
          + "| spec.rules[0].to[0].operation.notPorts[0]: '70000' (expected: a port number "
          + "from 1 to 65535)",
      "{rules: [{from: [{source: {ipBlocks: ['10.0.0.0/33']}}]}]}"
          + "| spec.rules[0].from[0].source.ipBlocks[0]: '10.0.0.0/33' (expected: an IPv4 or "
          + "IPv6 address or CIDR range, such as 10.0.0.0/8 or 2001:db8::/32)",
      "{rules: [{from: [{source: {remoteIpBlocks: ['300.1.1.1']}}]}]}"
          + "| spec.rules[0].from[0].source.remoteIpBlocks[0]: '300.1.1.1' (expected: an "
          + "IPv4 or IPv6 address or CIDR range, such as 10.0.0.0/8 or 2001:db8::/32)",
      "{rules: [{from: [{source: {}}]}]}"
          + "| spec.rules[0].from[0].source: a mapping (expected: a source with at least one"
          + " field, such as principals)",
      "{rules: [{when: [{key: source.ip}]}]}"
          + "| spec.rules[0].when[0]: a mapping (expected: at least one of values and"
          + " notValues)",
      "{rules: [{when: [{values: [a]}]}]}"
          + "| spec.rules[0].when[0].key: missing (expected: an attribute such as"
          + " request.headers[version])",
      "{selector: {matchLabels: {app: a}}, targetRef: {kind: Service, name: a}}"
          + "| spec.targetRef: a mapping (expected: only one of selector, targetRef and"
          + " targetRefs)",
      "{rules: [{to: [{operation: {paths: ['/a/{**}/b/{*}']}}]}]}"
          + "| spec.rules[0].to[0].operation.paths[0]: '/a/{**}/b/{*}' (expected: {**} only "
          + "once and as the last operator of a path template)",
      "{rules: [{to: [{operation: {notPaths: ['/a/{id}']}}]}]}"
          + "| spec.rules[0].to[0].operation.notPaths[0]: '/a/{id}' (expected: '{' and '}' "
          + "only in whole segments {*} or {**})",
      "{rules: [{to: [{operation: {paths: ['/a/{*}/b*']}}]}]}"
          + "| spec.rules[0].to[0].operation.paths[0]: '/a/{*}/b*' (expected: template "
          + "segments that are {*}, {**} or a non-empty literal without '*')",
      "{rules: [{when: [{key: request.colour, values: [red]}]}]}"
          + "| spec.rules[0].when[0].key: 'request.colour' (expected: one of "
          + "request.headers[<name>], source.ip, remote.ip, source.namespace, "
          + "source.principal, source.serviceAccount, source.trustDomain, "
          + "request.auth.principal, request.auth.audiences, request.auth.presenter, "
          + "request.auth.claims[<name>]..., destination.ip, destination.port, "
          + "connection.sni, experimental.envoy.filters.*)",
      "{rules: [{when: [{key: source.ip, notValues: ['10.0.0.0/40']}]}]}"
          + "| spec.rules[0].when[0].notValues[0]: '10.0.0.0/40' (expected: an IPv4 or IPv6 "
          + "address or CIDR range, such as 10.0.0.0/8 or 2001:db8::/32)",
      "{rules: [{when: [{key: destination.port, values: ['http']}]}]}"
          + "| spec.rules[0].when[0].values[0]: 'http' (expected: a port number from 1 to 65535)",
      "{rules: [{from: [{source: {serviceAccounts: [ns/sa], namespaces: [ns]}}]}]}"
          + "| spec.rules[0].from[0].source.serviceAccounts: 'ns/sa' (expected: serviceAccounts"
          + " without namespaces in the same source)",
      "{rules: [{from: [{source: {notServiceAccounts: [ns/sa], principals: [a]}}]}]}"
          + "| spec.rules[0].from[0].source.notServiceAccounts: 'ns/sa' (expected:"
          + " notServiceAccounts without principals in the same source)",
  })
  void rejectsInvalidAuthorizationPolicy(String spec, String expected) {
    assertRejected("AuthorizationPolicy", spec, "AuthorizationPolicy default/p: " + expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{mtls: {mode: ENFORCED}}"
          + "| spec.mtls.mode: 'ENFORCED' (expected: one of UNSET, DISABLE, PERMISSIVE, STRICT)",
      "{selector: {matchLabels: {app: a}}, portLevelMtls: {http: {mode: STRICT}}}"
          + "| spec.portLevelMtls.http: 'http' (expected: a port number 1..65535 as the key)",
      "{portLevelMtls: {8080: {mode: STRICT}}}"
          + "| spec.portLevelMtls: a mapping (expected: portLevelMtls only together with"
          + " selector.matchLabels)",
      "{selector: {matchLabels: {app: 'web*'}}}"
          + "| spec.selector.matchLabels.app: 'web*' (expected: a label value written as a"
          + " string, without wildcards)",
  })
  void rejectsInvalidPeerAuthentication(String spec, String expected) {
    assertRejected("PeerAuthentication", spec, "PeerAuthentication default/p: " + expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{jwtRules: [{audiences: [a]}]}"
          + "| spec.jwtRules[0].issuer: missing (expected: the issuer of the tokens, such as"
          + " https://accounts.example.com)",
      "{jwtRules: [{issuer: i, jwksUri: 'ftp://example.com/jwks'}]}"
          + "| spec.jwtRules[0].jwksUri: 'ftp://example.com/jwks' (expected: an http or https"
          + " URI such as https://example.com/.well-known/jwks.json)",
      "{jwtRules: [{issuer: i, fromHeaders: [{prefix: 'Bearer '}]}]}"
          + "| spec.jwtRules[0].fromHeaders[0].name: missing (expected: the name of the header"
          + " holding the token)",
      "{jwtRules: [{issuer: i, forwardOriginalToken: 'yes'}]}"
          + "| spec.jwtRules[0].forwardOriginalToken: 'yes' (expected: true or false)",
      "{jwtRules: [{issuer: i, jwksUri: 'keys.json'}]}"
          + "| spec.jwtRules[0].jwksUri: 'keys.json' (expected: an http or https URI such as"
          + " https://example.com/.well-known/jwks.json)",
  })
  void rejectsInvalidRequestAuthentication(String spec, String expected) {
    assertRejected("RequestAuthentication", spec, "RequestAuthentication default/p: " + expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "not json | not JSON (",
      "[] | JSON but not an object",
      "{'kty': 'RSA'} | an object without a \"keys\" array",
      "{'keys': [{'n': 'AQAB'}]} | keys[0] is not a key object with a \"kty\"",
      "{keys: []} | not JSON (",
  })
  void rejectsInvalidInlineJwksNamingTheRule(String jwks, String problem) {
    String json = jwks.replace('\'', '"');
    ResourceParser.Result result = parser.parse("f", """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: p}
        spec:
          jwtRules:
          - issuer: i
            jwks: '%s'
        """.formatted(json));

    assertThat(result.resources()).isEmpty();
    assertThat(result.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.severity()).isEqualTo(Diagnostic.Severity.ERROR);
      assertThat(d.field()).isEqualTo("spec.jwtRules[0].jwks");
      assertThat(d.message()).startsWith(problem).endsWith("(expected: a JSON Web Key Set such"
          + " as {\"keys\": [{\"kty\": \"RSA\", \"n\": \"...\", \"e\": \"AQAB\"}]})");
    });
  }

  @Test
  void storesOtherSecurityVersionsUnvalidated() {
    ResourceParser.Result result = parser.parse("f", """
        apiVersion: security.istio.io/v1alpha1
        kind: AuthorizationPolicy
        metadata: {name: p}
        spec: {action: BLOCK}
        """);

    assertThat(result.hasErrors()).isFalse();
    assertThat(result.diagnostics()).extracting(Diagnostic::severity)
        .containsExactly(Diagnostic.Severity.NOT_SERVED);
  }

  private void assertRejected(String kind, String spec, String expected) {
    ResourceParser.Result result = parser.parse("f", "apiVersion: security.istio.io/v1\n"
        + "kind: " + kind + "\nmetadata: {name: p}\nspec: " + spec + "\n");

    assertThat(result.resources()).isEmpty();
    assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(expected);
  }
}
