package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One batch of changes to the service ports and endpoints a {@link ControlPlane} serves, applied
 * by {@link ControlPlane#update} as one config update: clients never see half of it (a rollout
 * that replaces every pod of a service never leaves it without endpoints in between).
 *
 * <p>Changes apply in this order: {@link #deregister}, {@link #forget}, {@link #declare},
 * {@link #register}. So an endpoint both deregistered and registered stays, and a service port
 * both forgotten and declared stays known.
 *
 * @param declare service ports to serve even without endpoints
 * @param register endpoints to add (their service ports become known)
 * @param deregister endpoints to remove (their service ports stay known)
 * @param forget service ports to stop serving, with any endpoints still registered on them
 */
public record EndpointUpdate(Set<ServicePort> declare, Set<ServiceEndpoint> register,
    Set<ServiceEndpoint> deregister, Set<ServicePort> forget) {

  public EndpointUpdate {
    declare = Set.copyOf(requireNonNull(declare, "declare"));
    register = Set.copyOf(requireNonNull(register, "register"));
    deregister = Set.copyOf(requireNonNull(deregister, "deregister"));
    forget = Set.copyOf(requireNonNull(forget, "forget"));
  }

  /** Starts an empty batch. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the batch changes nothing. */
  public boolean isEmpty() {
    return declare.isEmpty() && register.isEmpty() && deregister.isEmpty() && forget.isEmpty();
  }

  /** Collects an {@link EndpointUpdate}. */
  public static final class Builder {
    private final Set<ServicePort> declare = new LinkedHashSet<>();
    private final Set<ServiceEndpoint> register = new LinkedHashSet<>();
    private final Set<ServiceEndpoint> deregister = new LinkedHashSet<>();
    private final Set<ServicePort> forget = new LinkedHashSet<>();

    private Builder() {}

    /** Serves these service ports even while they have no endpoints. */
    public Builder declare(Collection<ServicePort> servicePorts) {
      declare.addAll(requireNonNull(servicePorts, "servicePorts"));
      return this;
    }

    /** Adds these endpoints. */
    public Builder register(Collection<ServiceEndpoint> endpoints) {
      register.addAll(requireNonNull(endpoints, "endpoints"));
      return this;
    }

    /** Removes these endpoints; their service ports stay served. */
    public Builder deregister(Collection<ServiceEndpoint> endpoints) {
      deregister.addAll(requireNonNull(endpoints, "endpoints"));
      return this;
    }

    /** Stops serving these service ports and removes their endpoints. */
    public Builder forget(Collection<ServicePort> servicePorts) {
      forget.addAll(requireNonNull(servicePorts, "servicePorts"));
      return this;
    }

    public EndpointUpdate build() {
      return new EndpointUpdate(declare, register, deregister, forget);
    }
  }
}
