package io.inboard.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorization conformance table: each row applies AuthorizationPolicies (and a
 * RequestAuthentication where a row reads JWT identity) to the {@code authz} workload through
 * the control plane, then sends the same requests to its gRPC server and its HTTP server, from a
 * mesh caller of namespace {@code default}, one of namespace {@code foo}, and a plaintext client
 * outside the mesh. Both planes must reach the row's outcome: one set of semantics, Istio's.
 * HTTP requests are {@code POST}s to gRPC-shaped paths, as gRPC calls are.
 */
class AuthorizationConformanceTest {
  private static final String GET = "/shop.Cart/Get";
  private static final String PUT = "/shop.Cart/Put";
  private static final String ADMIN = "/shop.Admin/Get";
  private static final String SLEEP = "cluster.local/ns/default/sa/sleep";

  private static AccessBed bed;
  private static TestTokens tokens;

  @BeforeAll
  static void start() throws Exception {
    bed = new AccessBed();
    tokens = TOKENS;
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  // made before the rows, which embed its key set and tokens
  private static final TestTokens TOKENS = new TestTokens("conformance-1");

  enum Caller { SLEEP, FOO, OUTSIDE }

  /** One request of a row and the outcome both planes must give it. */
  record Probe(Caller caller, String path, Map<String, String> headers, String expected) {
    @Override
    public String toString() {
      return caller + " " + path + (headers.isEmpty() ? "" : " " + headers.keySet()) + " -> "
          + expected;
    }
  }

  record Row(String name, String yaml, List<Probe> probes) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void bothPlanesReachTheRowsOutcome(Row row) {
    bed.enforce(row.yaml());
    List<String> mismatches = new ArrayList<>();
    for (Probe p : row.probes()) {
      AccessCallers caller = switch (p.caller()) {
        case SLEEP -> bed.sleep;
        case FOO -> bed.foo;
        case OUTSIDE -> bed.outside;
      };
      String grpc = caller.grpc(p.path(), p.headers());
      String http = caller.http(p.path(), p.headers());
      if (!outcome(grpc).equals(p.expected()) || !outcome(http).equals(p.expected())) {
        mismatches.add(p + " but gRPC: " + grpc + ", HTTP: " + http);
      }
    }
    assertThat(mismatches).as(row.name()).isEmpty();
  }

  private static String outcome(String answer) {
    return answer.split(" ", 2)[0];
  }

  static Stream<Row> rows() {
    String ra = requestAuthentication();
    return Stream.of(
        row("no policy allows every caller", "",
            p(Caller.SLEEP, GET, "allow"), p(Caller.OUTSIDE, GET, "allow")),
        row("allow-nothing (an ALLOW policy without rules) denies every caller",
            policy("allow-nothing", ""),
            p(Caller.SLEEP, GET, "deny"), p(Caller.OUTSIDE, GET, "deny")),
        row("rules: [{}] allows every caller", policy("allow-all", "rules:\n- {}"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.OUTSIDE, GET, "allow")),
        row("DENY with rules: [{}] denies every caller",
            policy("deny-all", "action: DENY\nrules:\n- {}"),
            p(Caller.SLEEP, GET, "deny"), p(Caller.OUTSIDE, GET, "deny")),
        row("ALLOW policies none of which matches deny",
            policy("carts-only", "rules:\n- to:\n  - operation:\n      paths: [\"/shop.Cart/*\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.SLEEP, ADMIN, "deny")),
        row("principals: an exact principal", from("principals: [\"" + SLEEP + "\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.FOO, GET, "deny"),
            p(Caller.OUTSIDE, GET, "deny")),
        row("principals: * means any mTLS caller", from("principals: [\"*\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.FOO, GET, "allow"),
            p(Caller.OUTSIDE, GET, "deny")),
        row("notPrincipals", from("notPrincipals: [\"" + SLEEP + "\"]"),
            p(Caller.SLEEP, GET, "deny"), p(Caller.FOO, GET, "allow"),
            p(Caller.OUTSIDE, GET, "allow")),
        row("DENY by principal prefix",
            policy("deny-foo", "action: DENY\nrules:\n- from:\n  - source:\n"
                + "      principals: [\"cluster.local/ns/foo/*\"]"),
            p(Caller.FOO, GET, "deny"), p(Caller.SLEEP, GET, "allow")),
        row("namespaces", from("namespaces: [\"foo\"]"),
            p(Caller.FOO, GET, "allow"), p(Caller.SLEEP, GET, "deny"),
            p(Caller.OUTSIDE, GET, "deny")),
        row("notNamespaces", from("notNamespaces: [\"foo\"]"),
            p(Caller.FOO, GET, "deny"), p(Caller.SLEEP, GET, "allow")),
        row("serviceAccounts", from("serviceAccounts: [\"default/sleep\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.FOO, GET, "deny"),
            p(Caller.OUTSIDE, GET, "deny")),
        row("notServiceAccounts", from("notServiceAccounts: [\"default/sleep\"]"),
            p(Caller.SLEEP, GET, "deny"), p(Caller.FOO, GET, "allow")),
        row("trustDomains", from("trustDomains: [\"cluster.local\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.OUTSIDE, GET, "deny")),
        row("notTrustDomains", from("notTrustDomains: [\"cluster.local\"]"),
            p(Caller.SLEEP, GET, "deny"), p(Caller.OUTSIDE, GET, "allow")),
        row("ipBlocks: loopback", from("ipBlocks: [\"127.0.0.0/8\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.OUTSIDE, GET, "allow")),
        row("ipBlocks: another network", from("ipBlocks: [\"10.0.0.0/8\", \"2001:db8::/32\"]"),
            p(Caller.SLEEP, GET, "deny"), p(Caller.OUTSIDE, GET, "deny")),
        row("notIpBlocks", from("notIpBlocks: [\"127.0.0.0/8\"]"),
            p(Caller.SLEEP, GET, "deny"), p(Caller.OUTSIDE, GET, "deny")),
        row("remoteIpBlocks read X-Forwarded-For", from("remoteIpBlocks: [\"203.0.113.0/24\"]"),
            p(Caller.OUTSIDE, GET, Map.of("x-forwarded-for", "198.51.100.1, 203.0.113.7"),
                "allow"),
            p(Caller.OUTSIDE, GET, "deny")),
        row("notRemoteIpBlocks", from("notRemoteIpBlocks: [\"203.0.113.0/24\"]"),
            p(Caller.OUTSIDE, GET, Map.of("x-forwarded-for", "203.0.113.7"), "deny"),
            p(Caller.OUTSIDE, GET, "allow")),
        row("paths: exact", to("paths: [\"" + GET + "\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.SLEEP, PUT, "deny")),
        row("paths: prefix", to("paths: [\"/shop.Cart/*\"]"),
            p(Caller.SLEEP, PUT, "allow"), p(Caller.SLEEP, ADMIN, "deny")),
        row("paths: suffix", to("paths: [\"*/Get\"]"),
            p(Caller.SLEEP, ADMIN, "allow"), p(Caller.SLEEP, PUT, "deny")),
        row("paths: * means any", to("paths: [\"*\"]"), p(Caller.SLEEP, PUT, "allow")),
        row("notPaths", to("notPaths: [\"/shop.Admin/*\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.SLEEP, ADMIN, "deny")),
        row("path template {*}", to("paths: [\"/{*}/Get\"]"),
            p(Caller.SLEEP, ADMIN, "allow"), p(Caller.SLEEP, PUT, "deny")),
        row("path template {**}", to("paths: [\"/shop.Cart/{**}\"]"),
            p(Caller.SLEEP, PUT, "allow"), p(Caller.SLEEP, ADMIN, "deny")),
        row("methods: gRPC calls are POST", to("methods: [\"POST\"]"),
            p(Caller.SLEEP, GET, "allow")),
        row("methods: GET does not match a POST", to("methods: [\"GET\"]"),
            p(Caller.SLEEP, GET, "deny")),
        row("notMethods", to("notMethods: [\"POST\"]"), p(Caller.SLEEP, GET, "deny")),
        row("ports: the workload's ports", to("ports: [\"${GRPC_PORT}\", \"${HTTP_PORT}\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.OUTSIDE, GET, "allow")),
        row("ports: another port", to("ports: [\"1\"]"), p(Caller.SLEEP, GET, "deny")),
        row("notPorts", to("notPorts: [\"${GRPC_PORT}\", \"${HTTP_PORT}\"]"),
            p(Caller.SLEEP, GET, "deny")),
        row("hosts: case-insensitive, port ignored", to("hosts: [\"AUTHZ.default.svc.cluster.local\"]"),
            p(Caller.SLEEP, GET, "allow")),
        row("notHosts", to("notHosts: [\"authz.default.*\"]"), p(Caller.SLEEP, GET, "deny")),
        row("when request.headers", when("request.headers[x-user]", "values: [\"alice\"]"),
            p(Caller.SLEEP, GET, Map.of("x-user", "alice"), "allow"),
            p(Caller.SLEEP, GET, Map.of("x-user", "bob"), "deny"),
            p(Caller.SLEEP, GET, "deny")),
        row("when request.headers notValues", when("request.headers[x-user]",
                "notValues: [\"alice\"]"),
            p(Caller.SLEEP, GET, Map.of("x-user", "alice"), "deny"),
            p(Caller.SLEEP, GET, "allow")),
        row("when source.principal", when("source.principal", "values: [\"" + SLEEP + "\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.FOO, GET, "deny")),
        row("when source.namespace", when("source.namespace", "values: [\"foo\"]"),
            p(Caller.FOO, GET, "allow"), p(Caller.SLEEP, GET, "deny")),
        row("when source.serviceAccount", when("source.serviceAccount",
                "values: [\"foo/other\"]"),
            p(Caller.FOO, GET, "allow"), p(Caller.SLEEP, GET, "deny")),
        row("when source.trustDomain", when("source.trustDomain", "values: [\"cluster.local\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.OUTSIDE, GET, "deny")),
        row("when source.ip", when("source.ip", "values: [\"127.0.0.0/8\"]"),
            p(Caller.OUTSIDE, GET, "allow")),
        row("when remote.ip", when("remote.ip", "values: [\"203.0.113.7\"]"),
            p(Caller.OUTSIDE, GET, Map.of("x-forwarded-for", "203.0.113.7"), "allow"),
            p(Caller.OUTSIDE, GET, "deny")),
        row("when destination.ip", when("destination.ip", "values: [\"${POD_IP}/32\"]"),
            p(Caller.SLEEP, GET, "allow")),
        row("when destination.port", when("destination.port", "notValues: [\"${GRPC_PORT}\","
                + " \"${HTTP_PORT}\"]"),
            p(Caller.SLEEP, GET, "deny")),
        row("DENY is evaluated before ALLOW",
            policy("allow-all", "rules:\n- {}") + "---\n" + policy("deny-admin",
                "action: DENY\nrules:\n- to:\n  - operation:\n      paths: [\"/shop.Admin/*\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.SLEEP, ADMIN, "deny")),
        row("from, to and when are ANDed",
            policy("and", "rules:\n- from:\n  - source:\n      namespaces: [\"default\"]\n"
                + "  to:\n  - operation:\n      paths: [\"/shop.Cart/*\"]\n  when:\n"
                + "  - key: request.headers[x-user]\n    values: [\"alice\"]"),
            p(Caller.SLEEP, GET, Map.of("x-user", "alice"), "allow"),
            p(Caller.SLEEP, ADMIN, Map.of("x-user", "alice"), "deny"),
            p(Caller.FOO, GET, Map.of("x-user", "alice"), "deny"),
            p(Caller.SLEEP, GET, "deny")),
        row("AUDIT never changes the decision",
            policy("audit-all", "action: AUDIT\nrules:\n- {}") + "---\n"
                + policy("allow-nothing", ""),
            p(Caller.SLEEP, GET, "deny")),
        row("CUSTOM is enforced fail-closed: what it matches is denied",
            policy("ext-authz", "action: CUSTOM\nprovider:\n  name: my-ext-authz\nrules:\n"
                + "- to:\n  - operation:\n      paths: [\"/shop.Admin/*\"]"),
            p(Caller.SLEEP, GET, "allow"), p(Caller.SLEEP, ADMIN, "deny")),
        row("requestPrincipals: * requires a valid token", ra + "---\n"
                + from("requestPrincipals: [\"*\"]"),
            p(Caller.SLEEP, GET, bearer(TOKENS.token("alice", Map.of())), "allow"),
            p(Caller.SLEEP, GET, "deny"),
            p(Caller.SLEEP, GET, bearer(TOKENS.expired("alice")), "unauthenticated"),
            p(Caller.SLEEP, GET, bearer(new TestTokens("other").token("alice", Map.of())),
                "unauthenticated")),
        row("requestPrincipals: an exact iss/sub", ra + "---\n"
                + from("requestPrincipals: [\"" + TestTokens.ISSUER + "/alice\"]"),
            p(Caller.SLEEP, GET, bearer(TOKENS.token("alice", Map.of())), "allow"),
            p(Caller.SLEEP, GET, bearer(TOKENS.token("bob", Map.of())), "deny")),
        row("notRequestPrincipals", ra + "---\n"
                + from("notRequestPrincipals: [\"" + TestTokens.ISSUER + "/alice\"]"),
            p(Caller.SLEEP, GET, bearer(TOKENS.token("alice", Map.of())), "deny"),
            p(Caller.SLEEP, GET, bearer(TOKENS.token("bob", Map.of())), "allow")),
        row("when request.auth.claims[groups]", ra + "---\n"
                + when("request.auth.claims[groups]", "values: [\"group1\"]"),
            p(Caller.SLEEP, GET, bearer(TOKENS.member("alice", "group1", "group2")), "allow"),
            p(Caller.SLEEP, GET, bearer(TOKENS.member("bob", "group2")), "deny"),
            p(Caller.SLEEP, GET, "deny")),
        row("when request.auth.claims nested", ra + "---\n"
                + when("request.auth.claims[org][team]", "values: [\"blue\"]"),
            p(Caller.SLEEP, GET, bearer(TOKENS.token("alice",
                Map.of("org", Map.of("team", "blue")))), "allow"),
            p(Caller.SLEEP, GET, bearer(TOKENS.token("bob",
                Map.of("org", Map.of("team", "red")))), "deny")),
        row("when request.auth.principal", ra + "---\n"
                + when("request.auth.principal", "values: [\"" + TestTokens.ISSUER + "/*\"]"),
            p(Caller.SLEEP, GET, bearer(TOKENS.token("alice", Map.of())), "allow"),
            p(Caller.SLEEP, GET, "deny")));
  }

  private static Row row(String name, String yaml, Probe... probes) {
    return new Row(name, yaml, Arrays.asList(probes));
  }

  private static Probe p(Caller c, String path, String expected) {
    return new Probe(c, path, Map.of(), expected);
  }

  private static Probe p(Caller c, String path, Map<String, String> headers, String expected) {
    return new Probe(c, path, headers, expected);
  }

  private static Map<String, String> bearer(String token) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("authorization", "Bearer " + token);
    return h;
  }

  /** An AuthorizationPolicy on the {@code authz} workload; {@code spec} adds to its selector. */
  static String policy(String name, String spec) {
    return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n"
        + "  name: " + name + "\n  namespace: default\nspec:\n  selector:\n    matchLabels:\n"
        + "      app: authz\n" + spec.lines().map(l -> "  " + l + "\n")
        .reduce("", String::concat);
  }

  private static String from(String sourceField) {
    return policy("from", "rules:\n- from:\n  - source:\n      " + sourceField);
  }

  private static String to(String operationField) {
    return policy("to", "rules:\n- to:\n  - operation:\n      " + operationField);
  }

  private static String when(String key, String values) {
    return policy("when", "rules:\n- when:\n  - key: " + key + "\n    " + values);
  }

  /** The RequestAuthentication of the rows that read JWT identity, keys inline. */
  private static String requestAuthentication() {
    return "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n"
        + "  name: jwt\n  namespace: default\nspec:\n  selector:\n    matchLabels:\n"
        + "      app: authz\n  jwtRules:\n  - issuer: " + TestTokens.ISSUER + "\n"
        + "    jwks: '" + TOKENS.jwks() + "'\n";
  }
}
