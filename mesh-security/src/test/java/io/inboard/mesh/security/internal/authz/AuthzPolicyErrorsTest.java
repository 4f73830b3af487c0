package io.inboard.mesh.security.internal.authz;

import static io.inboard.mesh.security.internal.authz.TestPolicies.compileError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What Istio rejects, and every unknown field, fails compilation naming the field and value. */
class AuthzPolicyErrorsTest {

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        arguments("bad CIDR",
            "rules: [{from: [{source: {ipBlocks: [10.0.0.0/8, 10.0.0.0/33]}}]}]",
            "spec.rules[0].from[0].source.ipBlocks[1]",
            "'10.0.0.0/33' (expected: an IPv4 or IPv6 address or CIDR range"),
        arguments("bad IPv6 CIDR",
            "rules: [{from: [{source: {notRemoteIpBlocks: ['2001:db8::/129']}}]}]",
            "spec.rules[0].from[0].source.notRemoteIpBlocks[0]", "'2001:db8::/129' (expected: an IPv4"),
        arguments("IPv4 with a leading zero",
            "rules: [{when: [{key: source.ip, values: [010.0.0.1]}]}]",
            "spec.rules[0].when[0].values[0]", "'010.0.0.1' (expected: an IPv4"),
        arguments("host name as an IP block",
            "rules: [{from: [{source: {ipBlocks: [localhost]}}]}]",
            "spec.rules[0].from[0].source.ipBlocks[0]", "'localhost' (expected: an IPv4"),
        arguments("{**} before another operator",
            "rules: [{to: [{operation: {paths: [/ok, '/a/{**}/{*}']}}]}]",
            "spec.rules[0].to[0].operation.paths[1]", "'/a/{**}/{*}' (expected: {**} only once"),
        arguments("{**} twice",
            "rules: [{to: [{operation: {notPaths: ['/{**}/{**}']}}]}]",
            "spec.rules[0].to[0].operation.notPaths[0]", "'/{**}/{**}' (expected: {**} only once"),
        arguments("template inside a segment",
            "rules: [{to: [{operation: {paths: ['/a{*}']}}]}]",
            "spec.rules[0].to[0].operation.paths[0]",
            "'/a{*}' (expected: '{' and '}' only in whole segments {*} or {**})"),
        arguments("unknown template operator",
            "rules: [{to: [{operation: {paths: ['/a/{x}']}}]}]",
            "spec.rules[0].to[0].operation.paths[0]", "'/a/{x}' (expected: '{' and '}' only"),
        arguments("unclosed template",
            "rules: [{to: [{operation: {paths: ['/a/{*']}}]}]",
            "spec.rules[0].to[0].operation.paths[0]", "'/a/{*' (expected: '{' and '}' only"),
        arguments("* with a template",
            "rules: [{}, {to: [{operation: {paths: ['/a/*/{*}']}}]}]",
            "spec.rules[1].to[0].operation.paths[0]", "'/a/*/{*}' (expected: template segments"),
        arguments("misspelled headers key",
            "rules: [{when: [{key: 'request.header[x]', values: [a]}]}]",
            "spec.rules[0].when[0].key", "'request.header[x]' (expected: one of request.headers[<name>]"),
        arguments("unknown key",
            "rules: [{when: [{key: source.ip, values: [1.2.3.4]}, {key: foo.bar, values: [a]}]}]",
            "spec.rules[0].when[1].key", "'foo.bar' (expected: one of "),
        arguments("empty header name", "rules: [{when: [{key: 'request.headers[]', values: [a]}]}]",
            "spec.rules[0].when[0].key", "'request.headers[]' (expected: one of "),
        arguments("two header names", "rules: [{when: [{key: 'request.headers[a][b]', values: [a]}]}]",
            "spec.rules[0].when[0].key", "'request.headers[a][b]' (expected: one of "),
        arguments("unclosed claim", "rules: [{when: [{key: 'request.auth.claims[a', values: [a]}]}]",
            "spec.rules[0].when[0].key", "'request.auth.claims[a' (expected: one of "),
        arguments("text after claim", "rules: [{when: [{key: 'request.auth.claims[a]b', values: [a]}]}]",
            "spec.rules[0].when[0].key", "'request.auth.claims[a]b' (expected: one of "),
        arguments("missing key", "rules: [{when: [{values: [a]}]}]",
            "spec.rules[0].when[0].key", "'' (expected: one of "),
        arguments("condition without values", "rules: [{when: [{key: source.ip}]}]",
            "spec.rules[0].when[0]", "(expected: values or notValues for key source.ip)"),
        arguments("bad IP in a condition", "rules: [{when: [{key: remote.ip, notValues: [1.2.3]}]}]",
            "spec.rules[0].when[0].notValues[0]", "'1.2.3' (expected: an IPv4"),
        arguments("bad port in a condition", "rules: [{when: [{key: destination.port, values: [http]}]}]",
            "spec.rules[0].when[0].values[0]", "'http' (expected: a port number from 1 to 65535)"),
        arguments("CUSTOM without provider", "{action: CUSTOM, rules: [{}]}",
            "spec.provider.name", "'' (expected: the name of an extension provider"),
        arguments("CUSTOM with an empty provider name", "{action: CUSTOM, provider: {name: ''}}",
            "spec.provider.name", "'' (expected: the name of an extension provider"),
        arguments("provider without CUSTOM", "{action: DENY, provider: {name: opa}}",
            "spec.provider", "'opa' (expected: no provider unless the action is CUSTOM"),
        arguments("serviceAccounts with principals",
            "rules: [{from: [{source: {serviceAccounts: [ns/sa], principals: ['*']}}]}]",
            "spec.rules[0].from[0].source.serviceAccounts",
            "'ns/sa' (expected: serviceAccounts without principals in the same source)"),
        arguments("notServiceAccounts with namespaces",
            "rules: [{from: [{source: {notServiceAccounts: [ns/sa], notNamespaces: [x]}}]}]",
            "spec.rules[0].from[0].source.notServiceAccounts", "(expected: notServiceAccounts without notNamespaces"),
        arguments("wildcard service account",
            "rules: [{from: [{source: {serviceAccounts: ['ns/*']}}]}]",
            "spec.rules[0].from[0].source.serviceAccounts[0]",
            "'ns/*' (expected: <namespace>/<service account> or <service account>, without wildcards)"),
        arguments("service account with two slashes",
            "rules: [{from: [{source: {serviceAccounts: [ns/sa/x]}}]}]",
            "spec.rules[0].from[0].source.serviceAccounts[0]", "'ns/sa/x' (expected: <namespace>/"),
        arguments("wildcard service account in a condition",
            "rules: [{when: [{key: source.serviceAccount, values: ['prod/*']}]}]",
            "spec.rules[0].when[0].values[0]", "'prod/*' (expected: <namespace>/"),
        arguments("empty condition value",
            "rules: [{when: [{key: 'request.headers[x]', values: [a], notValues: ['']}]}]",
            "spec.rules[0].when[0].notValues[0]", "'' (expected: a non-empty value)"),
        arguments("empty source", "rules: [{from: [{source: {}}]}]",
            "spec.rules[0].from[0].source", "'{}' (expected: at least one non-empty field of Source)"),
        arguments("source of empty lists", "rules: [{from: [{source: {principals: []}}]}]",
            "spec.rules[0].from[0].source", "(expected: at least one non-empty field of Source)"),
        arguments("from without source", "rules: [{from: [{}]}]",
            "spec.rules[0].from[0].source", "'{}' (expected: at least one non-empty field of Source)"),
        arguments("empty operation", "rules: [{to: [{operation: {}}]}]",
            "spec.rules[0].to[0].operation", "'{}' (expected: at least one non-empty field of Operation)"),
        arguments("misspelled source field",
            "rules: [{from: [{source: {notPrincipal: [a]}}]}]",
            "spec.rules[0].from[0].source.notPrincipal",
            "'notPrincipal' (expected: a field of Source: ipBlocks, namespaces, notIpBlocks"),
        arguments("misspelled operation field", "rules: [{to: [{operation: {path: [/a]}}]}]",
            "spec.rules[0].to[0].operation.path", "'path' (expected: a field of Operation: hosts, methods"),
        arguments("misspelled condition field", "rules: [{when: [{key: source.ip, value: [a]}]}]",
            "spec.rules[0].when[0].value", "'value' (expected: a field of Condition: key, notValues, values)"),
        arguments("misspelled rule field", "rules: [{form: []}]",
            "spec.rules[0].form", "'form' (expected: a field of Rule: from, to, when)"),
        arguments("misspelled spec field", "{rule: [{}]}",
            "spec.rule", "'rule' (expected: a field of AuthorizationPolicy: action, provider, rules"),
        arguments("unknown to field", "rules: [{to: [{operations: {paths: [/a]}}]}]",
            "spec.rules[0].to[0].operations", "'operations' (expected: a field of Rule.To: operation)"),
        arguments("port out of range", "rules: [{to: [{operation: {ports: ['8080', 70000]}}]}]",
            "spec.rules[0].to[0].operation.ports[1]", "'70000' (expected: a port number from 1 to 65535)"),
        arguments("port zero", "rules: [{to: [{operation: {notPorts: [0]}}]}]",
            "spec.rules[0].to[0].operation.notPorts[0]", "'0' (expected: a port number"),
        arguments("port name", "rules: [{to: [{operation: {ports: [http]}}]}]",
            "spec.rules[0].to[0].operation.ports[0]", "'http' (expected: a port number"),
        arguments("fractional port", "rules: [{to: [{operation: {ports: [80.5]}}]}]",
            "spec.rules[0].to[0].operation.ports[0]", "'80.5' (expected: a port number"),
        arguments("lower-case action", "action: allow",
            "spec.action", "'allow' (expected: ALLOW, DENY, AUDIT or CUSTOM)"),
        arguments("unknown action", "action: LOG",
            "spec.action", "'LOG' (expected: ALLOW, DENY, AUDIT or CUSTOM)"),
        arguments("rules not a list", "rules: {from: []}",
            "spec.rules", "(expected: a list)"),
        arguments("values not strings", "rules: [{to: [{operation: {paths: [{a: b}]}}]}]",
            "spec.rules[0].to[0].operation.paths[0]", "'{a=b}' (expected: a string)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void invalidSpec_isRejectedNamingFieldValueAndExpectation(String what, String spec, String field,
      String detail) {
    PolicyException e = compileError(spec);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.detail()).contains(detail);
    assertThat(e.getMessage()).isEqualTo("default/bad: " + field + ": " + e.detail());
  }

  @Test
  void firstInvalidPolicy_isNamed() {
    PolicySource ok = TestPolicies.policy("ok", "rules: [{}]");
    PolicySource bad = new PolicySource("prod", "broken", Map.of("action", "NOPE"));
    PolicyException e = org.assertj.core.api.Assertions.catchThrowableOfType(PolicyException.class,
        () -> Authorizer.compile(List.of(ok, bad)));
    assertThat(e.resource()).isEqualTo("prod/broken");
  }

  @Test
  void numbersFromProtobufStruct_areAcceptedAsPorts() {
    // protobuf's Struct carries every number as a double
    Map<String, Object> spec = Map.of("rules", List.of(Map.of("to", List.of(Map.of("operation",
        Map.of("ports", List.of(8080.0, 9090L, 7070, "6060")))))));
    Authorizer authorizer = Authorizer.compile(List.of(new PolicySource("default", "p", spec)));
    for (int port : new int[] {8080, 9090, 7070, 6060}) {
      assertThat(authorizer.decide(TestRequest.request().withPort(port)).allowed()).as("port %d", port).isTrue();
    }
    assertThat(authorizer.decide(TestRequest.request().withPort(5050)).allowed()).isFalse();
  }
}
