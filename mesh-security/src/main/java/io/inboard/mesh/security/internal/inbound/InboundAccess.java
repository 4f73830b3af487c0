package io.inboard.mesh.security.internal.inbound;

import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.InternalMesh.StateKey;
import io.inboard.mesh.security.internal.authz.AuthzDecision;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.jwt.JwtOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mesh's inbound access policy in force (AuthorizationPolicy and RequestAuthentication), one
 * per mesh, and the check both planes run on every inbound request: the JWT step (a token that
 * is present must be valid: 401 otherwise), then authorization in Istio's order (CUSTOM, DENY,
 * ALLOW: 403 {@code RBAC: access denied}). AUDIT policies that match are logged on logger
 * {@value #AUDIT_LOGGER} and counted.
 *
 * <p>In xDS mode the policy arrives with the {@code virtualInbound} listener (see {@link
 * InboundMtls#of}, whose watch delivers both); otherwise it is what {@link #set} puts in force.
 */
public final class InboundAccess {
  /** The logger of AUDIT matches, one INFO line per request a policy audited. */
  public static final String AUDIT_LOGGER = "io.inboard.mesh.audit";

  private static final Logger log = LoggerFactory.getLogger(InboundAccess.class);
  private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);
  private static final StateKey<InboundAccess> KEY =
      StateKey.of("inbound access", InboundAccess.class);

  private final Map<String, LongAdder> audits = new ConcurrentHashMap<>();
  private volatile AccessPolicy policy = AccessPolicy.NONE;

  private InboundAccess() {}

  /**
   * {@code mesh}'s access holder, made on first use; in xDS mode this also starts the watch of
   * the control plane's {@code virtualInbound} listener.
   */
  public static InboundAccess of(Mesh mesh) {
    if (mesh.settings().discoveryMode() == DiscoveryMode.XDS) {
      InboundMtls.of(mesh);
    }
    return InternalMesh.state(mesh, KEY, InboundAccess::new);
  }

  /** The policy in force. */
  public AccessPolicy policy() {
    return policy;
  }

  /**
   * Compiles and puts in force the policies that apply to this workload, unless they are those
   * in force already (a repeat keeps the compiled policy and its cache of verified tokens).
   *
   * @throws io.inboard.mesh.security.internal.authz.PolicyException when one cannot be
   *     compiled; the policy in force stays
   */
  public synchronized void set(List<PolicySource> authorizationPolicies,
      List<PolicySource> requestAuthentications) {
    AccessPolicy current = policy;
    if (current.authorizationPolicies().equals(authorizationPolicies)
        && current.requestAuthentications().equals(requestAuthentications)) {
      return;
    }
    AccessPolicy next = AccessPolicy.compile(authorizationPolicies, requestAuthentications);
    next.authorizer().warnings().forEach(w -> log.warn("Authorization: {}", w));
    policy = next;
  }

  /** Whether a request needs checking at all: false while no policy applies. */
  public boolean active() {
    return !policy.isEmpty();
  }

  /**
   * Checks {@code request}: authenticates its token, then authorizes it. Reads only the policy
   * compiled when config changed.
   */
  public AccessVerdict check(AccessRequest request) {
    AccessPolicy p = policy;
    if (p.isEmpty()) {
      return AccessVerdict.ALLOW;
    }
    JwtOutcome jwt = p.authenticator().authenticate(request);
    if (jwt instanceof JwtOutcome.Rejected r) {
      log.debug("Request {} {} refused: {}", request.method(), request.path(), r.reason());
      return new AccessVerdict.Deny(401, 16, r.reason());
    }
    AccessVerdict allow = AccessVerdict.ALLOW;
    if (jwt instanceof JwtOutcome.Authenticated a) {
      request.requestAuth(a.auth());
      allow = a.changes().isEmpty() ? AccessVerdict.ALLOW : new AccessVerdict.Allow(a.changes());
    }
    AuthzDecision d = p.authorizer().decide(request);
    if (!d.audited().isEmpty()) {
      recordAudits(d, request);
    }
    if (!d.allowed()) {
      log.debug("Request {} {} from '{}' denied by {}", request.method(), request.path(),
          request.peerPrincipal(), d.policy().isEmpty() ? "no ALLOW policy matching" : d.policy());
      return AccessVerdict.RBAC_DENIED;
    }
    return allow;
  }

  /** How many requests the AUDIT policy {@code namespace/name} matched so far. */
  public long audited(String policyId) {
    LongAdder n = audits.get(policyId);
    return n == null ? 0 : n.sum();
  }

  private void recordAudits(AuthzDecision d, AccessRequest request) {
    for (String id : d.audited()) {
      audits.computeIfAbsent(id, k -> new LongAdder()).increment();
      audit.info("AUDIT policy={} decision={} method={} path={} principal='{}' source={}", id,
          d.allowed() ? "allow" : "deny", request.method(), request.path(),
          request.peerPrincipal(), request.sourceIp() == null ? "-"
              : request.sourceIp().getHostAddress());
    }
  }
}
