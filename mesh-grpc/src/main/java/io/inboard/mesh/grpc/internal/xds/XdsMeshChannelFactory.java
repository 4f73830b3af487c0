package io.inboard.mesh.grpc.internal.xds;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.grpc.internal.client.CircuitBreakerInterceptor;
import io.inboard.mesh.grpc.internal.client.DefaultDeadlineInterceptor;
import io.inboard.mesh.grpc.internal.client.MeshClientInterceptors;
import io.inboard.mesh.grpc.internal.client.MeshGrpcState;
import io.inboard.mesh.grpc.internal.client.MethodPolicy;
import io.inboard.mesh.grpc.internal.lb.EjectionMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a channel to one mesh service in xDS mode: {@code xds:///<fqdn>:<port>} through the
 * mesh's shared xDS client.
 *
 * <p>What client policy (annotations, builder) still does here, and why: grpc-xds takes load
 * balancing, retries and the route timeout from the control plane only, and never reads a
 * channel's default service config. So the client's {@code timeout} becomes a default deadline
 * for calls that set none (gRPC applies the earlier of it and the route's timeout), its
 * {@code circuitBreaker} still guards calls in this process, and every other field is reported
 * once as not applied.
 */
public final class XdsMeshChannelFactory {
  private static final Logger log = LoggerFactory.getLogger(XdsMeshChannelFactory.class);

  private XdsMeshChannelFactory() {}

  public static ManagedChannel create(Mesh mesh, ServiceName service, ClientPolicy client,
      List<MethodPolicy> methods) {
    if (service.port() == 0) {
      throw new IllegalArgumentException("service: '" + service + "' (expected: a port number"
          + " in xDS mode, such as 'reviews:9080'; xDS listeners are named host:port)");
    }
    ClientPolicy channelPolicy = InternalMesh.effectivePolicy(mesh, service, client);
    Map<String, Duration> methodTimeouts = new LinkedHashMap<>();
    for (MethodPolicy m : methods) {
      ClientPolicy p = InternalMesh.effectivePolicy(mesh, service, m.policy());
      p.timeout().ifPresent(t -> methodTimeouts.put(m.service() + "/" + m.method(), t));
      warnIgnored(service, m.service() + "/" + m.method(), m.policy());
    }
    warnIgnored(service, "every method", client);

    List<ClientInterceptor> policy = new ArrayList<>();
    if (channelPolicy.timeout().isPresent() || !methodTimeouts.isEmpty()) {
      policy.add(new DefaultDeadlineInterceptor(
          channelPolicy.timeout().orElse(null), methodTimeouts));
    }
    channelPolicy.circuitBreaker().ifPresent(cb -> policy.add(new CircuitBreakerInterceptor(
        service, MeshGrpcState.of(mesh).breaker(service, cb))));
    List<ClientInterceptor> interceptors = MeshClientInterceptors.of(mesh, service, policy);
    String target = service.fqdn(mesh.settings().clusterDomain()) + ":" + service.port();
    ManagedChannel channel = MeshXds.of(mesh).channels().channelBuilder(target)
        // Inboard's outlier policy counts ejections in this mesh's metrics (grpc builds the
        // policy from its registry, so the channel is its only way to the mesh)
        .setNameResolverArg(EjectionMetrics.KEY, InternalMesh.telemetry(mesh).health())
        .intercept(interceptors).build();
    try {
      InternalMesh.own(mesh, () -> {
        channel.shutdown();
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      });
    } catch (IllegalStateException closedMesh) {
      channel.shutdownNow();
      throw closedMesh;
    }
    return channel;
  }

  /** Warns about the client's own layer; the mesh's defaults are not the user's doing. */
  private static void warnIgnored(ServiceName service, String where, ClientPolicy p) {
    List<String> ignored = new ArrayList<>();
    p.retry().ifPresent(r -> ignored.add("retry"));
    p.loadBalancer().ifPresent(lb -> ignored.add("loadBalancer"));
    p.outlierDetection().ifPresent(o -> ignored.add("outlierDetection"));
    p.connectionPool().ifPresent(c -> ignored.add("connectionPool"));
    if (!ignored.isEmpty()) {
      log.warn("{} for {} ({}) not applied in xDS mode: grpc-xds takes them from the control"
          + " plane (VirtualService retries, DestinationRule trafficPolicy) only", ignored,
          service, where);
    }
  }
}
