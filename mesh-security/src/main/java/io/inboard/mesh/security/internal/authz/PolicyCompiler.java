package io.inboard.mesh.security.internal.authz;

import io.inboard.mesh.security.internal.authz.match.RequestMatcher;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one AuthorizationPolicy's {@code spec}. Rejects what Istio rejects, and every field it
 * does not know, so that a misspelled {@code notPrincipal} cannot silently widen a policy.
 * {@code selector}, {@code targetRef} and {@code targetRefs} are read by the control plane, which
 * chose the policies for the workload, and are ignored here.
 */
final class PolicyCompiler {
  private static final Set<String> SPEC_FIELDS =
      Set.of("selector", "targetRef", "targetRefs", "action", "provider", "rules");
  private static final Set<String> RULE_FIELDS = Set.of("from", "to", "when");
  private static final Set<String> FROM_FIELDS = Set.of("source");
  private static final Set<String> TO_FIELDS = Set.of("operation");
  private static final Set<String> PROVIDER_FIELDS = Set.of("name");

  private PolicyCompiler() {}

  static CompiledPolicy compile(PolicySource source, List<String> warnings, PolicyContext.Reads reads) {
    PolicyContext ctx = new PolicyContext(source.namespace(), source.id(), warnings, reads);
    Map<String, Object> spec = source.spec();
    SpecValues.requireKnownFields(ctx, spec, SPEC_FIELDS, "spec", "AuthorizationPolicy");
    ctx.action = action(ctx, spec.get("action"));
    checkProvider(ctx, spec.get("provider"));
    List<?> rules = SpecValues.list(ctx, spec.get("rules"), "spec.rules");
    CompiledRule[] compiled = new CompiledRule[rules.size()];
    for (int i = 0; i < compiled.length; i++) {
      compiled[i] = rule(ctx, rules.get(i), "spec.rules[" + i + "]");
    }
    return CompiledPolicy.of(ctx.id, ctx.action, compiled);
  }

  private static PolicyAction action(PolicyContext ctx, Object value) {
    if (value == null) {
      return PolicyAction.ALLOW;
    }
    for (PolicyAction action : PolicyAction.values()) {
      if (action.name().equals(value)) {
        return action;
      }
    }
    throw ctx.error("spec.action", value, "ALLOW, DENY, AUDIT or CUSTOM");
  }

  private static void checkProvider(PolicyContext ctx, Object value) {
    Map<String, Object> provider = SpecValues.mapping(ctx, value, "spec.provider");
    SpecValues.requireKnownFields(ctx, provider, PROVIDER_FIELDS, "spec.provider", "Provider");
    Object name = provider.get("name");
    if (ctx.action != PolicyAction.CUSTOM) {
      if (value != null) {
        throw ctx.error("spec.provider", name == null ? provider : name,
            "no provider unless the action is CUSTOM (the action is " + ctx.action + ")");
      }
      return;
    }
    if (!(name instanceof String providerName) || providerName.isEmpty()) {
      throw ctx.error("spec.provider.name", name == null ? "" : name,
          "the name of an extension provider, as action CUSTOM needs one");
    }
    ctx.warn("action CUSTOM (provider '" + providerName + "') is not supported by Inboard;"
        + " requests it matches are denied");
  }

  private static CompiledRule rule(PolicyContext ctx, Object value, String field) {
    Map<String, Object> rule = SpecValues.mapping(ctx, value, field);
    SpecValues.requireKnownFields(ctx, rule, RULE_FIELDS, field, "Rule");
    List<?> from = SpecValues.list(ctx, rule.get("from"), field + ".from");
    RequestMatcher[][] sources = new RequestMatcher[from.size()][];
    for (int i = 0; i < sources.length; i++) {
      String entryField = field + ".from[" + i + "]";
      Map<String, Object> entry = SpecValues.mapping(ctx, from.get(i), entryField);
      SpecValues.requireKnownFields(ctx, entry, FROM_FIELDS, entryField, "Rule.From");
      sources[i] = SourceCompiler.compile(ctx, entry.get("source"), entryField + ".source");
    }
    List<?> to = SpecValues.list(ctx, rule.get("to"), field + ".to");
    RequestMatcher[][] operations = new RequestMatcher[to.size()][];
    for (int i = 0; i < operations.length; i++) {
      String entryField = field + ".to[" + i + "]";
      Map<String, Object> entry = SpecValues.mapping(ctx, to.get(i), entryField);
      SpecValues.requireKnownFields(ctx, entry, TO_FIELDS, entryField, "Rule.To");
      operations[i] = OperationCompiler.compile(ctx, entry.get("operation"), entryField + ".operation");
    }
    List<?> when = SpecValues.list(ctx, rule.get("when"), field + ".when");
    RequestMatcher[] conditions = new RequestMatcher[when.size()];
    for (int i = 0; i < conditions.length; i++) {
      conditions[i] = ConditionCompiler.compile(ctx, when.get(i), field + ".when[" + i + "]");
    }
    return new CompiledRule(sources, operations, conditions);
  }
}
