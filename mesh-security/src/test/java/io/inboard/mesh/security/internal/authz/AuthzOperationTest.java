package io.inboard.mesh.security.internal.authz;

import static io.inboard.mesh.security.internal.authz.TestPolicies.allowedBy;
import static io.inboard.mesh.security.internal.authz.TestPolicies.authorizer;
import static io.inboard.mesh.security.internal.authz.TestRequest.path;
import static io.inboard.mesh.security.internal.authz.TestRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code to[].operation}: hosts, ports, methods and paths, with templates and normalization. */
class AuthzOperationTest {

  private static boolean allowed(String operation, AuthzRequest request) {
    return allowedBy("{to: [{operation: " + operation + "}]}", request);
  }

  @Test
  void hosts_matchCaseInsensitivelyWithAndWithoutPort() {
    assertThat(allowed("{hosts: [example.com]}", request().withHost("example.com"))).isTrue();
    assertThat(allowed("{hosts: [example.com]}", request().withHost("Example.COM:8080"))).isTrue();
    assertThat(allowed("{hosts: [EXAMPLE.com]}", request().withHost("example.com"))).isTrue();
    assertThat(allowed("{hosts: [example.com]}", request().withHost("example.org"))).isFalse();
    assertThat(allowed("{hosts: [example.com]}", request().withHost("example.com.evil"))).isFalse();
    assertThat(allowed("{hosts: ['example.com:8080']}", request().withHost("example.com:8080"))).isTrue();
    assertThat(allowed("{hosts: ['example.com:8080']}", request().withHost("example.com:9090"))).isFalse();
  }

  @Test
  void hosts_wildcards() {
    assertThat(allowed("{hosts: ['*.example.com']}", request().withHost("api.example.com:443"))).isTrue();
    assertThat(allowed("{hosts: ['*.example.com']}", request().withHost("example.com"))).isFalse();
    assertThat(allowed("{hosts: ['api.*']}", request().withHost("API.example.com"))).isTrue();
    assertThat(allowed("{hosts: ['*']}", request().withHost(""))).isFalse();
  }

  @Test
  void notHosts_excludeTheHost() {
    assertThat(allowed("{notHosts: [example.com]}", request().withHost("EXAMPLE.com:80"))).isFalse();
    assertThat(allowed("{notHosts: [example.com]}", request().withHost("other.com"))).isTrue();
  }

  @Test
  void ports_areStringsOrNumbers() {
    assertThat(allowed("{ports: ['8080']}", request().withPort(8080))).isTrue();
    assertThat(allowed("{ports: [8080]}", request().withPort(8080))).isTrue();
    assertThat(allowed("{ports: [9090, '8080']}", request().withPort(8080))).isTrue();
    assertThat(allowed("{ports: [9090]}", request().withPort(8080))).isFalse();
    assertThat(allowed("{notPorts: [8080]}", request().withPort(8080))).isFalse();
    assertThat(allowed("{notPorts: ['9090']}", request().withPort(8080))).isTrue();
  }

  @Test
  void methods_matchExactlyAndCaseSensitively() {
    assertThat(allowed("{methods: [GET, HEAD]}", request().withMethod("HEAD"))).isTrue();
    assertThat(allowed("{methods: [GET]}", request().withMethod("get"))).isFalse();
    assertThat(allowed("{methods: [POST]}", request().withMethod("POST").withPath("/pkg.Svc/Call"))).isTrue();
    assertThat(allowed("{notMethods: [DELETE]}", request().withMethod("DELETE"))).isFalse();
    assertThat(allowed("{notMethods: [DELETE]}", request().withMethod("GET"))).isTrue();
  }

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
      "/admin, /admin, true",
      "/admin, /admin/, false",
      "/admin, /Admin, false",
      "/api/*, /api/v1/users, true",
      "/api/*, /apiv1, false",
      "*/info, /v1/info, true",
      "*/info, /v1/infos, false",
      "*, /anything, true",
      "/pkg.Greeter/*, /pkg.Greeter/SayHello, true",
  })
  void paths_exactPrefixSuffixAndPresence(String pattern, String path, boolean allowed) {
    assertThat(allowed("{paths: ['" + pattern + "']}", path(path))).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
      "/foo/{*}, /foo/bar, true",
      "/foo/{*}, /foo/bar/baz, false",
      "/foo/{*}, /foo/, false",
      "/foo/{*}/baz, /foo/bar/baz, true",
      "/foo/{*}/baz, /foo/bar/qux, false",
      "/foo/{**}, /foo/bar/baz/qux, true",
      "/foo/{**}, /foo/, true",
      "/foo/{**}, /foobar, false",
      "/{*}/bar/{**}, /x/bar/y/z, true",
      "/{*}/bar/{**}, /x/baz/y, false",
      "/foo/{**}/end, /foo/a/b/end, true",
      "/foo/{**}/end, /foo/a/b/other, false",
      "/a.b/{*}, /aXb/c, false",
  })
  void paths_templates(String template, String path, boolean allowed) {
    assertThat(allowed("{paths: ['" + template + "']}", path(path))).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0} is /admin to a DENY")
  @CsvSource({"/a/../admin", "/./admin", "//admin", "/%2e/admin", "/%61dmin", "/x/y/../../admin", "/../admin"})
  void paths_areNormalizedBeforeMatching(String path) {
    Authorizer authorizer = authorizer("{action: DENY, rules: [{to: [{operation: {paths: [/admin]}}]}]}");
    assertThat(authorizer.decide(path(path)).allowed()).isFalse();
  }

  @Test
  void paths_encodedSlashIsNotDecoded() {
    Authorizer authorizer = authorizer("{action: DENY, rules: [{to: [{operation: {paths: [/a/b]}}]}]}");
    assertThat(authorizer.decide(path("/a%2Fb")).allowed()).isTrue();
    assertThat(authorizer.decide(path("/a/%62")).allowed()).isFalse();
  }

  @Test
  void paths_normalizedKeepTheTrailingSlash() {
    assertThat(allowed("{paths: [/a/]}", path("/a/b/.."))).isTrue();
    assertThat(allowed("{paths: [/a/]}", path("/a/./"))).isTrue();
    assertThat(allowed("{paths: [/a]}", path("/a/./"))).isFalse();
  }

  @Test
  void notPaths_excludeThePath() {
    assertThat(allowed("{notPaths: ['/admin*']}", path("/admin/x"))).isFalse();
    assertThat(allowed("{notPaths: ['/admin*', '/foo/{*}']}", path("/foo/x"))).isFalse();
    assertThat(allowed("{notPaths: ['/admin*']}", path("/home"))).isTrue();
  }

  @Test
  void operationFields_areAndedAndEntriesOred() {
    String rule = "{to: [{operation: {methods: [GET], paths: ['/read/*']}}, {operation: {ports: [9090]}}]}";
    assertThat(allowedBy(rule, path("/read/x"))).isTrue();
    assertThat(allowedBy(rule, path("/read/x").withMethod("POST"))).isFalse();
    assertThat(allowedBy(rule, path("/write").withMethod("POST").withPort(9090))).isTrue();
  }

  @Test
  void fromToAndWhen_areAnded() {
    String rule = "{from: [{source: {namespaces: [default]}}], to: [{operation: {methods: [GET]}}],"
        + " when: [{key: 'request.headers[x-ok]', values: ['yes']}]}";
    TestRequest ok = request().withHeader("x-ok", "yes");
    assertThat(allowedBy(rule, ok)).isTrue();
    assertThat(allowedBy(rule, ok.withMethod("PUT"))).isFalse();
    assertThat(allowedBy(rule, ok.withPeer("spiffe://cluster.local/ns/prod/sa/x"))).isFalse();
    assertThat(allowedBy(rule, request())).isFalse();
  }
}
