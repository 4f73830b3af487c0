package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.security.internal.authz.Authorizer;
import io.inboard.mesh.security.internal.authz.PolicyException;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.jwt.JwtAuthenticator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an AuthorizationPolicy or a RequestAuthentication: first Inboard's validator (unknown
 * fields, and errors named by field), then the workloads' own compiler on the one resource, so
 * that what is accepted here is what every workload can compile. A compiler error rejects the
 * resource as a validator error does; the compiler's warnings become warnings.
 *
 * <p>A policy that only {@code targetRef(s)} a Gateway or Service (a waypoint, ambient mode) is
 * stored but applied to no workload: Inboard has no waypoints, and applying it to the
 * workloads behind the Service would enforce it more widely than written.
 */
final class SecurityPolicyParser {
  private SecurityPolicyParser() {}

  static ParsedResource authorizationPolicy(ResourceId id, String apiVersion, Node spec) {
    Warnings warnings = new AuthorizationPolicyValidator(id).validate(spec);
    PolicySource source = source(id, spec);
    List<Diagnostic> diagnostics = new ArrayList<>(warnings.list());
    try {
      Authorizer compiled = Authorizer.compile(List.of(source));
      compiled.warnings().forEach(w -> diagnostics.add(compilerWarning(id, w)));
    } catch (PolicyException e) {
      throw new FieldException(e.field(), e.detail());
    }
    return applied(id, apiVersion, spec, source, diagnostics, true);
  }

  static ParsedResource requestAuthentication(ResourceId id, String apiVersion, Node spec) {
    Warnings warnings = new RequestAuthenticationValidator(id).validate(spec);
    PolicySource source = source(id, spec);
    try {
      // a jwksUri rule compiles without keys here: the control plane fetches them later
      JwtAuthenticator.compile(List.of(source));
    } catch (PolicyException e) {
      throw new FieldException(e.field(), e.detail());
    }
    return applied(id, apiVersion, spec, source, warnings.list(), false);
  }

  private static PolicySource source(ResourceId id, Node spec) {
    return new PolicySource(id.namespace(), id.name(), JsonTree.mapping(spec.value()));
  }

  private static ParsedResource applied(ResourceId id, String apiVersion, Node spec,
      PolicySource source, List<Diagnostic> diagnostics, boolean authorization) {
    Map<String, String> selector = spec.get("selector").get("matchLabels").stringMap();
    Node targets = spec.get("targetRef").present() ? spec.get("targetRef")
        : spec.get("targetRefs");
    if (targets.present()) {
      List<Diagnostic> all = new ArrayList<>(diagnostics);
      all.add(new Diagnostic(Diagnostic.Severity.WARNING, id, targets.path(), "not applied:"
          + " this policy targets a Gateway or Service (a waypoint), which Inboard does not"
          + " have; it applies to no workload (expected: selector.matchLabels, or no"
          + " selector for every workload of the namespace)"));
      return new ParsedResource.Stored(id, apiVersion, all);
    }
    return authorization
        ? new ParsedResource.AuthorizationPolicy(id, selector, source, diagnostics)
        : new ParsedResource.RequestAuthentication(id, selector, source, diagnostics);
  }

  /**
   * A compiler warning ("ns/name: field: detail", one line) as a diagnostic on its field; a
   * line of another shape is kept whole.
   */
  private static Diagnostic compilerWarning(ResourceId id, String warning) {
    String text = warning;
    String prefix = id.namespace() + "/" + id.name() + ": ";
    if (text.startsWith(prefix)) {
      text = text.substring(prefix.length());
    }
    int colon = text.indexOf(": ");
    if (text.startsWith("spec") && colon > 0 && !text.substring(0, colon).contains(" ")) {
      return new Diagnostic(Diagnostic.Severity.WARNING, id, text.substring(0, colon),
          text.substring(colon + 2));
    }
    return new Diagnostic(Diagnostic.Severity.WARNING, id, "", text);
  }
}
