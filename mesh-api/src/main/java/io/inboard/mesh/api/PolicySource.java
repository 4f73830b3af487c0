package io.inboard.mesh.api;

import io.inboard.mesh.api.policy.ClientPolicy;

/**
 * The highest policy layer: policy for a service that comes from outside the application, such
 * as a control plane translating a VirtualService and DestinationRule. Implementations answer
 * from memory; they are read when a client is created and after their config changes.
 */
@FunctionalInterface
public interface PolicySource {

  /** No external policy: annotations and defaults decide. */
  PolicySource NONE = service -> ClientPolicy.EMPTY;

  /** The external policy for {@code service}, or {@link ClientPolicy#EMPTY}. */
  ClientPolicy policyFor(ServiceName service);
}
