package io.inboard.mesh.security.internal.authz;

import io.inboard.mesh.security.internal.authz.match.IpBlock;
import io.inboard.mesh.security.internal.authz.match.RequestMatcher;
import io.inboard.mesh.security.internal.authz.match.ServiceAccountMatcher;
import io.inboard.mesh.security.internal.authz.match.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles the {@code x}/{@code notX} field pairs of a source, operation or condition: {@code x}
 * matches when some value does, {@code notX} when no value does, and all of an entry's fields
 * must match. The value compilers shared by sources, operations and conditions live here.
 */
final class FieldMatchers {
  private final PolicyContext ctx;
  private final Map<String, Object> entry;
  private final String field;
  private final List<RequestMatcher> checks = new ArrayList<>();

  /** Compiles one value list into a matcher, naming {@code field[i]} in errors. */
  @FunctionalInterface
  interface ValuesCompiler {
    RequestMatcher compile(PolicyContext ctx, List<String> values, String field);
  }

  FieldMatchers(PolicyContext ctx, Map<String, Object> entry, String field) {
    this.ctx = ctx;
    this.entry = entry;
    this.field = field;
  }

  /** Adds {@code name} and {@code notName} (either may be absent). */
  FieldMatchers pair(String name, String notName, ValuesCompiler compiler) {
    add(name, compiler, false);
    add(notName, compiler, true);
    return this;
  }

  List<String> values(String name) {
    return SpecValues.strings(ctx, entry, name, field + "." + name);
  }

  private void add(String name, ValuesCompiler compiler, boolean negate) {
    List<String> values = values(name);
    if (values.isEmpty()) {
      return;
    }
    RequestMatcher matcher = compiler.compile(ctx, values, field + "." + name);
    checks.add(negate ? RequestMatcher.not(matcher) : matcher);
  }

  /** The entry's checks, all of which must match; rejects an entry with none. */
  RequestMatcher[] build(String kind) {
    if (checks.isEmpty()) {
      throw ctx.error(field, entry, "at least one non-empty field of " + kind);
    }
    return checks.toArray(RequestMatcher[]::new);
  }

  static StringMatcher[] patterns(List<String> values, boolean ignoreCase) {
    StringMatcher[] out = new StringMatcher[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = StringMatcher.of(ignoreCase ? values.get(i).toLowerCase(java.util.Locale.ROOT) : values.get(i), ignoreCase);
    }
    return out;
  }

  static IpBlock[] ipBlocks(PolicyContext ctx, List<String> values, String field) {
    IpBlock[] out = new IpBlock[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = IpBlock.parse(values.get(i));
      if (out[i] == null) {
        throw ctx.error(field + "[" + i + "]", values.get(i),
            "an IPv4 or IPv6 address or CIDR range, such as 10.0.0.0/8 or 2001:db8::/32");
      }
    }
    return out;
  }

  static int[] ports(PolicyContext ctx, List<String> values, String field) {
    int[] out = new int[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = SpecValues.port(ctx, values.get(i), field + "[" + i + "]");
    }
    return out;
  }

  /**
   * {@code <namespace>/<service account>} or {@code <service account>} in the policy's own
   * namespace, without wildcards (Istio's {@code CheckServiceAccount} and {@code
   * serviceAccountRegex}).
   */
  static RequestMatcher serviceAccounts(PolicyContext ctx, List<String> values, String field) {
    String[] namespaces = new String[values.size()];
    String[] accounts = new String[values.size()];
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      int slash = value.indexOf('/');
      if (value.indexOf('*') >= 0 || value.isEmpty() || slash == 0 || slash == value.length() - 1
          || (slash > 0 && value.indexOf('/', slash + 1) >= 0)) {
        throw ctx.error(field + "[" + i + "]", value,
            "<namespace>/<service account> or <service account>, without wildcards");
      }
      namespaces[i] = slash < 0 ? ctx.namespace : value.substring(0, slash);
      accounts[i] = value.substring(slash + 1);
    }
    return new ServiceAccountMatcher(namespaces, accounts);
  }
}
