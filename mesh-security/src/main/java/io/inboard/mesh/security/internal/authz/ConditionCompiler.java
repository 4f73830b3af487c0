package io.inboard.mesh.security.internal.authz;

import io.inboard.mesh.security.internal.authz.FieldMatchers.ValuesCompiler;
import io.inboard.mesh.security.internal.authz.match.AttributeMatcher;
import io.inboard.mesh.security.internal.authz.match.AudienceMatcher;
import io.inboard.mesh.security.internal.authz.match.ClaimMatcher;
import io.inboard.mesh.security.internal.authz.match.IpMatcher.Address;
import io.inboard.mesh.security.internal.authz.match.IpMatcher;
import io.inboard.mesh.security.internal.authz.match.PeerIdentityMatcher.Part;
import io.inboard.mesh.security.internal.authz.match.PeerIdentityMatcher;
import io.inboard.mesh.security.internal.authz.match.PortMatcher;
import io.inboard.mesh.security.internal.authz.match.RequestMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles a rule's {@code when[j]}: a {@code key} (Istio's condition attributes) with {@code
 * values} and/or {@code notValues}. A key Istio has but Inboard cannot evaluate ({@code
 * experimental.envoy.filters.*}) compiles with a warning to a constant that fails closed: true in
 * a DENY or CUSTOM policy, false in an ALLOW or AUDIT one.
 */
final class ConditionCompiler {
  private static final Set<String> FIELDS = Set.of("key", "values", "notValues");
  private static final String SUPPORTED_KEYS = "one of request.headers[<name>], source.ip, remote.ip,"
      + " source.namespace, source.principal, source.serviceAccount, source.trustDomain,"
      + " request.auth.principal, request.auth.audiences, request.auth.presenter,"
      + " request.auth.claims[<name>]..., destination.ip, destination.port, connection.sni,"
      + " experimental.envoy.filters.*";
  private static final String HEADERS = "request.headers[";
  private static final String CLAIMS = "request.auth.claims[";
  private static final String EXPERIMENTAL = "experimental.envoy.filters.";

  private ConditionCompiler() {}

  /** The condition: some value matches (when {@code values} is given) and no notValue does. */
  static RequestMatcher compile(PolicyContext ctx, Object value, String field) {
    Map<String, Object> condition = SpecValues.mapping(ctx, value, field);
    SpecValues.requireKnownFields(ctx, condition, FIELDS, field, "Condition");
    Object keyValue = condition.get("key");
    if (!(keyValue instanceof String key) || key.isEmpty()) {
      throw ctx.error(field + ".key", keyValue == null ? "" : keyValue, SUPPORTED_KEYS);
    }
    ValuesCompiler compiler = compilerFor(ctx, key, field + ".key");
    FieldMatchers fields = new FieldMatchers(ctx, condition, field);
    if (fields.values("values").isEmpty() && fields.values("notValues").isEmpty()) {
      throw ctx.error(field, condition, "values or notValues for key " + key);
    }
    rejectEmptyValues(ctx, fields, field);
    if (compiler == null) {
      ctx.warn(field + ".key: '" + key + "' cannot be evaluated by Inboard; the condition is treated as "
          + (ctx.action.failsClosed() ? "matching (fail closed)" : "not matching"));
      return ctx.action.failsClosed() ? RequestMatcher.ALWAYS : RequestMatcher.NEVER;
    }
    RequestMatcher[] checks = fields.pair("values", "notValues", compiler).build("Condition");
    return checks.length == 1 ? checks[0] : r -> RequestMatcher.all(checks, r);
  }

  // Istio rejects "" (CheckEmptyValues): it would match only an absent or empty attribute.
  private static void rejectEmptyValues(PolicyContext ctx, FieldMatchers fields, String field) {
    for (String name : new String[] {"values", "notValues"}) {
      List<String> values = fields.values(name);
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i).isEmpty()) {
          throw ctx.error(field + "." + name + "[" + i + "]", "", "a non-empty value");
        }
      }
    }
  }

  /** The compiler of {@code key}'s values; {@code null} for an experimental key. */
  private static ValuesCompiler compilerFor(PolicyContext ctx, String key, String field) {
    switch (key) {
      case "source.ip": return ip(Address.SOURCE);
      case "remote.ip":
        ctx.reads().remoteIp = true;
        return ip(Address.REMOTE);
      case "destination.ip": return ip(Address.DESTINATION);
      case "destination.port":
        return (c, v, f) -> new PortMatcher(FieldMatchers.ports(c, v, f));
      case "source.namespace": return peer(Part.NAMESPACE);
      case "source.principal": return peer(Part.PRINCIPAL);
      case "source.trustDomain": return peer(Part.TRUST_DOMAIN);
      case "source.serviceAccount":
        return FieldMatchers::serviceAccounts;
      case "connection.sni": return attribute(AuthzRequest::sni);
      case "request.auth.principal":
        return attribute(SourceCompiler::requestPrincipal);
      case "request.auth.presenter":
        return attribute(r -> r.requestAuth() == null ? null : r.requestAuth().presenter());
      case "request.auth.audiences":
        return (c, v, f) -> new AudienceMatcher(FieldMatchers.patterns(v, false));
      default:
        break;
    }
    if (key.startsWith(EXPERIMENTAL) && key.length() > EXPERIMENTAL.length()) {
      return null;
    }
    List<String> names = bracketed(key, HEADERS);
    if (names != null && names.size() == 1) {
      String header = names.get(0).toLowerCase(Locale.ROOT);
      return attribute(r -> r.header(header));
    }
    names = bracketed(key, CLAIMS);
    if (names != null) {
      String[] path = names.toArray(String[]::new);
      return (c, v, f) -> new ClaimMatcher(path, FieldMatchers.patterns(v, false));
    }
    throw ctx.error(field, key, SUPPORTED_KEYS);
  }

  /** The names in {@code <prefix>a][b]...]}, or {@code null} when malformed or empty. */
  private static List<String> bracketed(String key, String prefix) {
    if (!key.startsWith(prefix)) {
      return null;
    }
    List<String> names = new ArrayList<>();
    int i = prefix.length() - 1;
    while (i < key.length()) {
      if (key.charAt(i) != '[') {
        return null;
      }
      int close = key.indexOf(']', i);
      if (close < 0) {
        return null;
      }
      String name = key.substring(i + 1, close);
      if (name.isEmpty() || name.indexOf('[') >= 0) {
        return null;
      }
      names.add(name);
      i = close + 1;
    }
    return names;
  }

  private static ValuesCompiler ip(Address address) {
    return (c, v, f) -> new IpMatcher(address, FieldMatchers.ipBlocks(c, v, f));
  }

  private static ValuesCompiler peer(Part part) {
    return (c, v, f) -> new PeerIdentityMatcher(part, FieldMatchers.patterns(v, false));
  }

  private static ValuesCompiler attribute(Function<AuthzRequest, String> attribute) {
    return (c, v, f) -> new AttributeMatcher(attribute, FieldMatchers.patterns(v, false));
  }
}
