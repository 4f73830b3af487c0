package io.inboard.mesh.xds.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.grpc.xds.client.XdsClient;
import io.grpc.xds.client.XdsResourceType;
import java.util.function.Function;

/**
 * An xDS resource type that hands watchers Envoy's own (unrelocated) proto, after a check of the
 * consumer's. grpc-xds's built-in types are package-private and parse into gRPC's own model;
 * this one lets a data plane other than gRPC read the same resources from the same kind of
 * client, with grpc-xds doing the ADS stream, ACK/NACK, backoff and server fallback.
 *
 * <p>A resource the check rejects is NACKed: grpc-xds sends the check's message as the NACK's
 * error detail (and the control plane records it for the workload), and watchers keep the last
 * good version.
 *
 * @param <M> the Envoy proto class
 */
public final class RawResourceType<M extends Message>
    extends XdsResourceType<RawResourceType.Update<M>> {

  /** One accepted resource, as received. */
  public record Update<M extends Message>(M resource) implements XdsClient.ResourceUpdate {}

  /** Checks a resource; returns why it cannot be accepted, or {@code null} when it can. */
  @FunctionalInterface
  public interface Check<M> {
    String problem(M resource);
  }

  private final Class<M> type;
  private final String typeUrl;
  private final boolean stateOfTheWorld;
  private final Function<M, String> name;
  private final Check<M> check;

  private RawResourceType(Class<M> type, boolean stateOfTheWorld, Function<M, String> name,
      Check<M> check) {
    this.type = type;
    this.stateOfTheWorld = stateOfTheWorld;
    this.name = name;
    this.check = requireNonNull(check, "check");
    this.typeUrl = "type.googleapis.com/"
        + com.google.protobuf.Internal.getDefaultInstance(type).getDescriptorForType().getFullName();
  }

  /** Listeners (LDS, state of the world), checked by {@code check}. */
  public static RawResourceType<Listener> listeners(Check<Listener> check) {
    return new RawResourceType<>(Listener.class, true, Listener::getName, check);
  }

  /** Route configurations (RDS), checked by {@code check}. */
  public static RawResourceType<RouteConfiguration> routes(Check<RouteConfiguration> check) {
    return new RawResourceType<>(RouteConfiguration.class, false, RouteConfiguration::getName,
        check);
  }

  /** Clusters (CDS, state of the world), checked by {@code check}. */
  public static RawResourceType<Cluster> clusters(Check<Cluster> check) {
    return new RawResourceType<>(Cluster.class, true, Cluster::getName, check);
  }

  /** Endpoint assignments (EDS), checked by {@code check}. */
  public static RawResourceType<ClusterLoadAssignment> endpoints(
      Check<ClusterLoadAssignment> check) {
    return new RawResourceType<>(ClusterLoadAssignment.class, false,
        ClusterLoadAssignment::getClusterName, check);
  }

  @Override
  protected Class<? extends Message> unpackedClassName() {
    return type;
  }

  @Override
  public String typeName() {
    return type.getSimpleName();
  }

  @Override
  public String typeUrl() {
    return typeUrl;
  }

  @Override
  public boolean shouldRetrieveResourceKeysForArgs() {
    return stateOfTheWorld;
  }

  @Override
  protected boolean isFullStateOfTheWorld() {
    return stateOfTheWorld;
  }

  @Override
  protected String extractResourceName(Message resource) {
    return name.apply(type.cast(resource));
  }

  @Override
  protected Update<M> doParse(Args args, Message resource) throws ResourceInvalidException {
    M m = type.cast(resource);
    String problem;
    try {
      problem = check.problem(m);
    } catch (RuntimeException e) {
      problem = e.getMessage();
    }
    if (problem != null) {
      throw new ResourceInvalidException(problem);
    }
    return new Update<>(m);
  }
}
