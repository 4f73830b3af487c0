package io.inboard.mesh.api.inbound;

/**
 * Decides whether an inbound request may reach the application: where peer authentication
 * (mTLS, PERMISSIVE or STRICT) and authorization policies plug into every inbound hook. Guards
 * registered with {@code MeshBuilder.inboundGuard} run in registration order, before the
 * application and with the request's context current; the first
 * {@link InboundDecision.Deny} ends the request, which is still counted in the metrics with
 * its 401/403 (or gRPC status).
 *
 * <p>Runs on the server's request thread for every request: decide from precomputed policy, and
 * never block.
 */
@FunctionalInterface
public interface InboundGuard {

  /** The decision for {@code request}. An exception refuses the request as a 500/INTERNAL. */
  InboundDecision check(InboundRequest request);

  /**
   * Runs {@code guards} in order and returns the first refusal, or
   * {@link InboundDecision#ALLOW}.
   */
  static InboundDecision checkAll(Iterable<InboundGuard> guards, InboundRequest request) {
    for (InboundGuard g : guards) {
      InboundDecision d = g.check(request);
      if (d instanceof InboundDecision.Deny) {
        return d;
      }
    }
    return InboundDecision.ALLOW;
  }
}
