package io.inboard.mesh.security.internal.authz;

import io.inboard.mesh.security.internal.authz.match.AttributeMatcher;
import io.inboard.mesh.security.internal.authz.match.HostMatcher;
import io.inboard.mesh.security.internal.authz.match.PathMatcher;
import io.inboard.mesh.security.internal.authz.match.PathTemplates;
import io.inboard.mesh.security.internal.authz.match.PortMatcher;
import io.inboard.mesh.security.internal.authz.match.RequestMatcher;
import io.inboard.mesh.security.internal.authz.match.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Compiles a rule's {@code to[i].operation}: what is being called. */
final class OperationCompiler {
  private static final Set<String> FIELDS = Set.of(
      "hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths");

  private OperationCompiler() {}

  /** All the operation's checks, every one of which must match. */
  static RequestMatcher[] compile(PolicyContext ctx, Object value, String field) {
    Map<String, Object> operation = SpecValues.mapping(ctx, value, field);
    SpecValues.requireKnownFields(ctx, operation, FIELDS, field, "Operation");
    return new FieldMatchers(ctx, operation, field)
        .pair("hosts", "notHosts", (c, v, f) -> new HostMatcher(FieldMatchers.patterns(v, true)))
        .pair("ports", "notPorts", (c, v, f) -> new PortMatcher(FieldMatchers.ports(c, v, f)))
        .pair("methods", "notMethods",
            (c, v, f) -> new AttributeMatcher(AuthzRequest::method, FieldMatchers.patterns(v, false)))
        .pair("paths", "notPaths", OperationCompiler::paths)
        .build("Operation");
  }

  static RequestMatcher paths(PolicyContext ctx, List<String> values, String field) {
    ctx.reads().path = true;
    List<StringMatcher> patterns = new ArrayList<>();
    List<Pattern> templates = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String path = values.get(i);
      if (PathTemplates.isTemplate(path)) {
        String expected = PathTemplates.validate(path);
        if (expected != null) {
          throw ctx.error(field + "[" + i + "]", path, expected);
        }
        templates.add(PathTemplates.compile(path));
      } else {
        patterns.add(StringMatcher.of(path, false));
      }
    }
    return new PathMatcher(patterns.toArray(StringMatcher[]::new), templates.toArray(Pattern[]::new));
  }
}
