package io.inboard.mesh.http.internal.route;

import io.inboard.mesh.http.internal.transport.Requests;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.inboard.mesh.http.internal.lb.HashKeys;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A route's {@code match}, compiled: path (prefix, exact path or whole-path RE2 regex, on the
 * path without the query), headers and query parameters, all of which must hold. Headers are
 * matched as Envoy sees them: {@code :method} is the request's method (Istio encodes a
 * VirtualService {@code method} match this way), {@code :path} the path with its query,
 * {@code :authority} the URI's host and port; repeated headers are joined with {@code ,}.
 */
final class XdsRequestMatch {

  private record Condition(String name, Predicate<String> value, boolean invert) {}

  private final Predicate<String> path;
  private final List<Condition> headers;
  private final List<Condition> queryParams;

  private XdsRequestMatch(Predicate<String> path, List<Condition> headers,
      List<Condition> queryParams) {
    this.path = path;
    this.headers = headers;
    this.queryParams = queryParams;
  }

  /** Compiles {@code m}; {@code field} prefixes error messages, such as {@code routes[2].match}. */
  static XdsRequestMatch compile(RouteMatch m, String field) {
    if (m.hasRuntimeFraction() || m.hasGrpc() || m.getDynamicMetadataCount() > 0
        || m.hasTlsContext()) {
      throw new IllegalArgumentException(field + ": runtime_fraction, grpc, tls_context or"
          + " dynamic_metadata set (expected: only path, headers and query_parameters)");
    }
    boolean caseSensitive = !m.hasCaseSensitive() || m.getCaseSensitive().getValue();
    Predicate<String> path = switch (m.getPathSpecifierCase()) {
      case PREFIX -> prefix(m.getPrefix(), caseSensitive);
      case PATH -> caseSensitive ? m.getPath()::equals : p -> p.equalsIgnoreCase(m.getPath());
      case SAFE_REGEX -> XdsStringMatch.regex(m.getSafeRegex(), field + ".safe_regex");
      case PATH_SEPARATED_PREFIX -> {
        String pre = m.getPathSeparatedPrefix();
        Predicate<String> starts = prefix(pre, caseSensitive);
        yield p -> starts.test(p) && (p.length() == pre.length() || p.charAt(pre.length()) == '/');
      }
      default -> throw new IllegalArgumentException(field + ".path_specifier: "
          + m.getPathSpecifierCase() + " (expected: prefix, path, safe_regex or"
          + " path_separated_prefix)");
    };
    List<Condition> headers = new ArrayList<>();
    for (int i = 0; i < m.getHeadersCount(); i++) {
      headers.add(header(m.getHeaders(i), field + ".headers[" + i + "]"));
    }
    List<Condition> params = new ArrayList<>();
    for (int i = 0; i < m.getQueryParametersCount(); i++) {
      QueryParameterMatcher q = m.getQueryParameters(i);
      String f = field + ".query_parameters[" + i + "]";
      Predicate<String> value = switch (q.getQueryParameterMatchSpecifierCase()) {
        case STRING_MATCH -> XdsStringMatch.of(q.getStringMatch(), f + ".string_match");
        case PRESENT_MATCH -> v -> q.getPresentMatch();
        default -> v -> true; // no specifier: Envoy treats it as present_match
      };
      params.add(new Condition(q.getName(), value, false));
    }
    return new XdsRequestMatch(path, List.copyOf(headers), List.copyOf(params));
  }

  private static Condition header(HeaderMatcher h, String field) {
    String name = h.getName().toLowerCase(Locale.ROOT);
    Predicate<String> value = switch (h.getHeaderMatchSpecifierCase()) {
      case STRING_MATCH -> XdsStringMatch.of(h.getStringMatch(), field + ".string_match");
      case EXACT_MATCH -> h.getExactMatch()::equals;
      case PREFIX_MATCH -> prefix(h.getPrefixMatch(), true);
      case SUFFIX_MATCH -> v -> v.endsWith(h.getSuffixMatch());
      case CONTAINS_MATCH -> v -> v.contains(h.getContainsMatch());
      case SAFE_REGEX_MATCH -> XdsStringMatch.regex(h.getSafeRegexMatch(), field + ".safe_regex_match");
      case PRESENT_MATCH -> null;
      case HEADERMATCHSPECIFIER_NOT_SET -> null;
      default -> throw new IllegalArgumentException(field + ": " + h.getHeaderMatchSpecifierCase()
          + " (expected: string_match, exact, prefix, suffix, contains, safe_regex or present)");
    };
    if (value == null) {
      // present_match: false means "absent"; no specifier at all means "present"
      boolean wantPresent = h.getHeaderMatchSpecifierCase()
          == HeaderMatcher.HeaderMatchSpecifierCase.HEADERMATCHSPECIFIER_NOT_SET
          || h.getPresentMatch();
      return new Condition(name, null, h.getInvertMatch() == wantPresent);
    }
    return new Condition(name, value, h.getInvertMatch());
  }

  private static Predicate<String> prefix(String prefix, boolean caseSensitive) {
    int n = prefix.length();
    return caseSensitive ? p -> p.startsWith(prefix) : p -> p.regionMatches(true, 0, prefix, 0, n);
  }

  /** Whether {@code request}, whose path (without query) is {@code path}, matches. */
  boolean matches(HttpRequest request, String path) {
    if (!this.path.test(path)) {
      return false;
    }
    for (Condition c : headers) {
      String v = headerValue(request, c.name());
      boolean ok = c.value() == null ? v != null : v != null && c.value().test(v);
      if (ok == c.invert()) {
        return false;
      }
    }
    for (Condition c : queryParams) {
      String v = HashKeys.queryParameter(request.uri().getRawQuery(), c.name());
      if (v == null || !c.value().test(v)) {
        return false;
      }
    }
    return true;
  }

  private static String headerValue(HttpRequest request, String name) {
    switch (name) {
      case ":method":
        return request.method();
      case ":path":
        String q = request.uri().getRawQuery();
        String p = request.uri().getRawPath();
        return (p == null || p.isEmpty() ? "/" : p) + (q == null ? "" : "?" + q);
      case ":authority":
      case "host":
        return request.uri().getRawAuthority();
      case ":scheme":
        return request.uri().getScheme();
      default:
        List<String> values = Requests.headers(request, name);
        return values.isEmpty() ? null : values.size() == 1 ? values.get(0) : String.join(",", values);
    }
  }
}
