package io.inboard.mesh.security.internal.authz;

import io.inboard.mesh.security.internal.authz.match.ResolvedRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The AuthorizationPolicies that apply to one workload, compiled into matchers once so that a
 * decision only compares.
 *
 * <p>A decision follows Istio's order: a matching CUSTOM policy denies (Inboard has no external
 * authorizer, so CUSTOM fails closed), then a matching DENY policy denies; with no ALLOW policy
 * the request is allowed; otherwise a matching ALLOW policy allows and no match denies. AUDIT
 * policies never change the decision; every one that matches is listed in {@link
 * AuthzDecision#audited()}. An ALLOW policy with no rules ({@code spec: {}}) matches nothing, so
 * it denies everything else; {@code rules: [{}]} matches every request.
 */
public final class Authorizer {
  /** No policy applies: everything is allowed. */
  public static final Authorizer NONE = new Authorizer(List.of(), List.of(), new PolicyContext.Reads());

  private static final AuthzDecision DENY_NO_ALLOW_MATCH = new AuthzDecision(false, "", List.of());

  private final CompiledPolicy[] custom;
  private final CompiledPolicy[] deny;
  private final CompiledPolicy[] allow;
  private final CompiledPolicy[] audit;
  private final List<String> warnings;
  private final boolean readsPath;
  private final boolean readsRemoteIp;

  private Authorizer(List<CompiledPolicy> policies, List<String> warnings, PolicyContext.Reads reads) {
    this.custom = withAction(policies, PolicyAction.CUSTOM);
    this.deny = withAction(policies, PolicyAction.DENY);
    this.allow = withAction(policies, PolicyAction.ALLOW);
    this.audit = withAction(policies, PolicyAction.AUDIT);
    this.warnings = List.copyOf(warnings);
    this.readsPath = reads.path;
    this.readsRemoteIp = reads.remoteIp;
  }

  /**
   * Compiles {@code policies} (every AuthorizationPolicy that applies to one workload, in any
   * order).
   *
   * @throws PolicyException naming the first policy and field that cannot be compiled
   */
  public static Authorizer compile(List<PolicySource> policies) {
    Objects.requireNonNull(policies, "policies");
    if (policies.isEmpty()) {
      return NONE;
    }
    List<String> warnings = new ArrayList<>();
    PolicyContext.Reads reads = new PolicyContext.Reads();
    List<CompiledPolicy> compiled = new ArrayList<>(policies.size());
    for (PolicySource policy : policies) {
      compiled.add(PolicyCompiler.compile(Objects.requireNonNull(policy, "policy"), warnings, reads));
    }
    return new Authorizer(compiled, warnings, reads);
  }

  /** The decision for {@code request}. */
  public AuthzDecision decide(AuthzRequest request) {
    AuthzRequest resolved = readsPath || readsRemoteIp
        ? ResolvedRequest.resolve(request, readsPath, readsRemoteIp)
        : request;
    AuthzDecision decision = enforce(resolved);
    if (audit.length == 0) {
      return decision;
    }
    List<String> audited = null;
    for (CompiledPolicy policy : audit) {
      if (policy.matches(resolved)) {
        if (audited == null) {
          audited = new ArrayList<>(2);
        }
        audited.add(policy.id());
      }
    }
    return audited == null ? decision
        : new AuthzDecision(decision.allowed(), decision.policy(), audited);
  }

  private AuthzDecision enforce(AuthzRequest request) {
    CompiledPolicy denying = firstMatch(custom, request);
    if (denying == null) {
      denying = firstMatch(deny, request);
    }
    if (denying != null) {
      return denying.decision();
    }
    if (allow.length == 0) {
      return AuthzDecision.ALLOW_NO_POLICY;
    }
    CompiledPolicy allowing = firstMatch(allow, request);
    return allowing == null ? DENY_NO_ALLOW_MATCH : allowing.decision();
  }

  /**
   * What the compiled policies do differently from Istio, one line each, naming the policy and
   * field (a CUSTOM policy enforced as deny; a {@code when} key Inboard cannot evaluate).
   */
  public List<String> warnings() {
    return warnings;
  }

  /** Whether no policy applies, so that every request is allowed without a decision. */
  public boolean isEmpty() {
    return custom.length + deny.length + allow.length + audit.length == 0;
  }

  private static CompiledPolicy firstMatch(CompiledPolicy[] policies, AuthzRequest request) {
    for (CompiledPolicy policy : policies) {
      if (policy.matches(request)) {
        return policy;
      }
    }
    return null;
  }

  private static CompiledPolicy[] withAction(List<CompiledPolicy> policies, PolicyAction action) {
    // Sorted by id so that the policy a decision names does not depend on the order they came in.
    return policies.stream()
        .filter(p -> p.action() == action)
        .sorted(Comparator.comparing(CompiledPolicy::id))
        .toArray(CompiledPolicy[]::new);
  }
}
