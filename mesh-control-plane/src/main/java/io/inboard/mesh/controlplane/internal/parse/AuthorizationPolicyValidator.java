package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.ResourceId;
import java.util.List;

/**
 * Validates an AuthorizationPolicy's {@code spec} as Istio does, for what the policy compiler
 * may not catch or would name less precisely: every error names the field. The caller then
 * compiles it with the workloads' own compiler.
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
    for (String key : SecurityFields.SOURCE_IP_BLOCKS) {
      source.get(key).list().forEach(SecurityNodes::ipBlock);
    }
    // Istio 1.25: a service account names namespace and account already, so mixing it with
    // principals or namespaces would leave unclear which of them was meant to win
    Node accounts = source.get("serviceAccounts").present() ? source.get("serviceAccounts")
        : source.get("notServiceAccounts");
    boolean mixed = java.util.stream.Stream.of("principals", "notPrincipals", "namespaces",
        "notNamespaces").anyMatch(k -> source.get(k).present());
    if (accounts.present() && mixed) {
      throw accounts.fail("serviceAccounts and notServiceAccounts in a source without"
          + " principals or namespaces");
    }
  }

  private void operation(Node operation) {
    requireSomeField(operation, "an operation with at least one field, such as methods");
    SecurityFields.OPERATION.check(operation, warnings);
    for (String key : SecurityFields.OPERATION_LISTS) {
      SecurityNodes.strings(operation.get(key));
    }
    for (String key : List.of("paths", "notPaths")) {
      operation.get(key).list().forEach(PathTemplates::check);
    }
    for (String key : SecurityFields.OPERATION_PORTS) {
      operation.get(key).list().forEach(SecurityNodes::port);
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
    List<Node> all = new java.util.ArrayList<>(when.get("values").list());
    all.addAll(when.get("notValues").list());
    ConditionKeys.check(when.get("key"), all);
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
