package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.ResourceId;
import java.util.List;

/**
 * Checks the shape of an AuthorizationPolicy's {@code spec} (types, required fields, the
 * action and its provider), every error naming the field. What each value means (addresses,
 * ports, path templates, condition keys, which source fields combine) is checked once, by the
 * workloads' own compiler, which the caller runs next.
 */
public final class AuthorizationPolicyValidator {
  private static final List<String> ACTIONS = List.of("ALLOW", "DENY", "AUDIT", "CUSTOM");

  private final Warnings warnings;

  AuthorizationPolicyValidator(ResourceId id) {
    this.warnings = new Warnings(id);
  }

  /** Checks {@code spec}; returns the warnings; throws {@link FieldException} when invalid. */
  Warnings validate(Node spec) {
    SecurityFields.AUTHORIZATION_POLICY.check(spec, warnings);
    SecurityNodes.targets(spec, warnings);
    String action = SecurityNodes.oneOf(spec.get("action"), ACTIONS);
    Node provider = spec.get("provider");
    if (action.equals("CUSTOM")) {
      // the provider names the external authorizer that decides; without one nothing could
      SecurityFields.EXTENSION_PROVIDER.check(provider, warnings);
      SecurityNodes.required(provider.get("name"),
          "the name of an extension provider, as action is CUSTOM");
    } else if (provider.present()) {
      throw provider.fail("no provider unless action is CUSTOM");
    }
    for (Node rule : spec.get("rules").list()) {
      rule(rule);
    }
    return warnings;
  }

  private void rule(Node rule) {
    if (!(rule.value() instanceof java.util.Map)) {
      throw rule.fail("a rule mapping with from, to or when");
    }
    SecurityFields.RULE.check(rule, warnings);
    for (Node from : rule.get("from").list()) {
      SecurityFields.RULE_FROM.check(from, warnings);
      source(from.get("source"));
    }
    for (Node to : rule.get("to").list()) {
      SecurityFields.RULE_TO.check(to, warnings);
      operation(to.get("operation"));
    }
    for (Node when : rule.get("when").list()) {
      condition(when);
    }
  }

  private void source(Node source) {
    // an empty source would read as "from anyone", which is rarely what was meant; Istio
    // rejects it
    requireSomeField(source, "a source with at least one field, such as principals");
    SecurityFields.SOURCE.check(source, warnings);
    for (String key : SecurityFields.SOURCE_LISTS) {
      SecurityNodes.strings(source.get(key));
    }
  }

  private void operation(Node operation) {
    requireSomeField(operation, "an operation with at least one field, such as methods");
    SecurityFields.OPERATION.check(operation, warnings);
    for (String key : SecurityFields.OPERATION_LISTS) {
      SecurityNodes.strings(operation.get(key));
    }
  }

  private void condition(Node when) {
    SecurityFields.CONDITION.check(when, warnings);
    SecurityNodes.required(when.get("key"), "an attribute such as request.headers[version]");
    List<String> values = SecurityNodes.strings(when.get("values"));
    List<String> notValues = SecurityNodes.strings(when.get("notValues"));
    if (values.isEmpty() && notValues.isEmpty()) {
      throw when.fail("at least one of values and notValues");
    }
  }

  private static void requireSomeField(Node n, String expected) {
    if (!n.present()) {
      throw new FieldException(n.path(), "missing (expected: " + expected + ")");
    }
    if (n.keys().isEmpty()) {
      throw n.fail(expected);
    }
  }
}
