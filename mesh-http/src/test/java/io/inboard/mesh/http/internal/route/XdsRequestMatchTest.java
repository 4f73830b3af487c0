package io.inboard.mesh.http.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** A route's match against requests: path, headers (with Envoy's pseudo-headers) and query. */
class XdsRequestMatchTest {

  static Stream<Arguments> headerMatches() {
    return Stream.of(
        // name, matcher, header value (null: absent), matches
        Arguments.of("exact", header().setStringMatch(exact("jason")), "jason", true),
        Arguments.of("exact, other value", header().setStringMatch(exact("jason")), "json", false),
        Arguments.of("exact, absent", header().setStringMatch(exact("jason")), null, false),
        Arguments.of("exact ignore case", header().setStringMatch(exact("jason")
            .setIgnoreCase(true)), "JASON", true),
        Arguments.of("exact is case sensitive", header().setStringMatch(exact("jason")), "Jason",
            false),
        Arguments.of("legacy exact_match", header().setExactMatch("jason"), "jason", true),
        Arguments.of("prefix", header().setStringMatch(StringMatcher.newBuilder()
            .setPrefix("ja")), "jason", true),
        Arguments.of("prefix, no", header().setStringMatch(StringMatcher.newBuilder()
            .setPrefix("ja")), "alice", false),
        Arguments.of("suffix", header().setStringMatch(StringMatcher.newBuilder()
            .setSuffix("son")), "jason", true),
        Arguments.of("contains", header().setStringMatch(StringMatcher.newBuilder()
            .setContains("as")), "jason", true),
        Arguments.of("regex, whole value", header().setStringMatch(regex("j.*n")), "jason", true),
        Arguments.of("regex must match the whole value", header().setStringMatch(regex("j.s")),
            "jason", false),
        Arguments.of("legacy safe_regex_match", header().setSafeRegexMatch(
            RegexMatcher.newBuilder().setRegex("[a-z]+")), "jason", true),
        Arguments.of("present", header().setPresentMatch(true), "", true),
        Arguments.of("present, absent", header().setPresentMatch(true), null, false),
        Arguments.of("present_match false means absent", header().setPresentMatch(false), null,
            true),
        Arguments.of("present_match false, present", header().setPresentMatch(false), "x", false),
        Arguments.of("no specifier means present", header(), "x", true),
        Arguments.of("no specifier, absent", header(), null, false),
        Arguments.of("invert exact", header().setStringMatch(exact("jason")).setInvertMatch(true),
            "alice", true),
        Arguments.of("invert exact, same value", header().setStringMatch(exact("jason"))
            .setInvertMatch(true), "jason", false),
        Arguments.of("invert present", header().setPresentMatch(true).setInvertMatch(true), null,
            true),
        Arguments.of("invert present, present", header().setPresentMatch(true)
            .setInvertMatch(true), "x", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headerMatches")
  void matchesHeaderAsEnvoyDoes(String name, HeaderMatcher.Builder matcher, String value,
      boolean expected) {
    XdsRequestMatch m = compile(RouteMatch.newBuilder().setPrefix("/").addHeaders(matcher));
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/0"));
    if (value != null) {
      r.header("end-user", value);
    }

    assertThat(matches(m, r.build())).isEqualTo(expected);
  }

  static Stream<Arguments> pathMatches() {
    return Stream.of(
        Arguments.of("prefix", RouteMatch.newBuilder().setPrefix("/reviews"), "/reviews/0", true),
        Arguments.of("prefix, no", RouteMatch.newBuilder().setPrefix("/reviews"), "/ratings/0",
            false),
        Arguments.of("prefix ignores the query", RouteMatch.newBuilder().setPrefix("/reviews"),
            "/ratings?x=/reviews", false),
        Arguments.of("prefix, case-insensitive", RouteMatch.newBuilder().setPrefix("/reviews")
            .setCaseSensitive(BoolValue.of(false)), "/REVIEWS/0", true),
        Arguments.of("path is exact", RouteMatch.newBuilder().setPath("/reviews"), "/reviews/0",
            false),
        Arguments.of("path, equal", RouteMatch.newBuilder().setPath("/reviews"), "/reviews?x=1",
            true),
        Arguments.of("regex on the whole path", RouteMatch.newBuilder().setSafeRegex(
            RegexMatcher.newBuilder().setRegex("/reviews/[0-9]+")), "/reviews/42", true),
        Arguments.of("regex, no", RouteMatch.newBuilder().setSafeRegex(
            RegexMatcher.newBuilder().setRegex("/reviews/[0-9]+")), "/reviews/x", false),
        Arguments.of("path-separated prefix", RouteMatch.newBuilder()
            .setPathSeparatedPrefix("/reviews"), "/reviews/0", true),
        Arguments.of("path-separated prefix, whole", RouteMatch.newBuilder()
            .setPathSeparatedPrefix("/reviews"), "/reviews", true),
        Arguments.of("path-separated prefix stops at a segment", RouteMatch.newBuilder()
            .setPathSeparatedPrefix("/reviews"), "/reviewsx", false));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("pathMatches")
  void matchesPathWithoutQuery(String name, RouteMatch.Builder match, String pathAndQuery,
      boolean expected) {
    XdsRequestMatch m = compile(match);

    assertThat(matches(m, request("GET", pathAndQuery))).isEqualTo(expected);
  }

  static Stream<Arguments> queryMatches() {
    QueryParameterMatcher.Builder exactV2 = QueryParameterMatcher.newBuilder().setName("version")
        .setStringMatch(exact("v2"));
    QueryParameterMatcher.Builder present = QueryParameterMatcher.newBuilder().setName("version")
        .setPresentMatch(true);
    return Stream.of(
        Arguments.of("exact", exactV2, "/r?version=v2", true),
        Arguments.of("exact among others", exactV2, "/r?a=1&version=v2&b=2", true),
        Arguments.of("exact, other value", exactV2, "/r?version=v1", false),
        Arguments.of("exact, absent", exactV2, "/r?other=v2", false),
        Arguments.of("exact, no query", exactV2, "/r", false),
        Arguments.of("present", present, "/r?version=", true),
        Arguments.of("present, absent", present, "/r?x=1", false));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("queryMatches")
  void matchesQueryParameters(String name, QueryParameterMatcher.Builder matcher,
      String pathAndQuery, boolean expected) {
    XdsRequestMatch m = compile(RouteMatch.newBuilder().setPrefix("/")
        .addQueryParameters(matcher));

    assertThat(matches(m, request("GET", pathAndQuery))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"GET, true", "POST, false", "get, false"})
  void matchesMethodThroughTheMethodPseudoHeader(String method, boolean expected) {
    XdsRequestMatch m = compile(RouteMatch.newBuilder().setPrefix("/")
        .addHeaders(HeaderMatcher.newBuilder().setName(":method").setStringMatch(exact("GET"))));

    assertThat(matches(m, request(method, "/reviews/0"))).isEqualTo(expected);
  }

  @Test
  void everyConditionMustHold() {
    XdsRequestMatch m = compile(RouteMatch.newBuilder().setPrefix("/reviews")
        .addHeaders(HeaderMatcher.newBuilder().setName("end-user").setStringMatch(exact("jason")))
        .addQueryParameters(QueryParameterMatcher.newBuilder().setName("v")
            .setStringMatch(exact("2"))));

    assertThat(matches(m, request("GET", "/reviews?v=2", "end-user", "jason"))).isTrue();
    assertThat(matches(m, request("GET", "/reviews?v=1", "end-user", "jason"))).isFalse();
    assertThat(matches(m, request("GET", "/reviews?v=2", "end-user", "alice"))).isFalse();
    assertThat(matches(m, request("GET", "/ratings?v=2", "end-user", "jason"))).isFalse();
  }

  @Test
  void repeatedHeadersAreJoinedWithCommas() {
    XdsRequestMatch m = compile(RouteMatch.newBuilder().setPrefix("/")
        .addHeaders(HeaderMatcher.newBuilder().setName("x-tag").setStringMatch(exact("a,b"))));

    assertThat(matches(m, request("GET", "/", "x-tag", "a", "x-tag", "b"))).isTrue();
  }

  @Test
  void badRegexIsRejectedNamingTheFieldAndTheRegex() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> XdsRequestMatch.compile(RouteMatch.newBuilder().setPrefix("/")
            .addHeaders(HeaderMatcher.newBuilder().setName("end-user").setStringMatch(regex("(")))
            .build(), "routes[1].match"))
        .withMessageStartingWith(
            "routes[1].match.headers[0].string_match.safe_regex.regex: '(' (expected: an RE2");
  }

  @Test
  void unsupportedMatchFieldIsRejectedNamingTheField() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> XdsRequestMatch.compile(RouteMatch.newBuilder().setPrefix("/")
            .setGrpc(RouteMatch.GrpcRouteMatchOptions.getDefaultInstance()).build(),
            "routes[0].match"))
        .withMessageStartingWith("routes[0].match: runtime_fraction, grpc, tls_context or"
            + " dynamic_metadata set (expected: only path, headers and query_parameters)");
  }

  private static HeaderMatcher.Builder header() {
    return HeaderMatcher.newBuilder().setName("end-user");
  }

  private static StringMatcher.Builder exact(String value) {
    return StringMatcher.newBuilder().setExact(value);
  }

  private static StringMatcher.Builder regex(String regex) {
    return StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(regex));
  }

  private static XdsRequestMatch compile(RouteMatch.Builder match) {
    return XdsRequestMatch.compile(match.build(), "routes[0].match");
  }

  private static HttpRequest request(String method, String pathAndQuery, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://reviews:9080" + pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  // As XdsRouteTable.route reads the request: the raw path without its query.
  private static boolean matches(XdsRequestMatch m, HttpRequest request) {
    String path = request.uri().getRawPath();
    return m.matches(request, path == null || path.isEmpty() ? "/" : path);
  }
}
