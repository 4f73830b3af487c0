package io.inboard.mesh.grpc.internal.k8s;

import static java.util.Objects.requireNonNull;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.internal.Durations;
import io.inboard.mesh.grpc.internal.client.CircuitBreakerInterceptor;
import io.inboard.mesh.grpc.internal.client.MeshClientInterceptors;
import io.inboard.mesh.grpc.internal.client.MeshGrpcState;
import io.inboard.mesh.grpc.internal.client.MethodPolicy;
import io.inboard.mesh.grpc.internal.pool.ClusterPools;
import io.inboard.mesh.grpc.internal.pool.PoolAdmission;
import io.inboard.mesh.grpc.internal.pool.PoolLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a plaintext channel to one mesh service in Kubernetes mode: it resolves {@code k8s:///}
 * through the mesh, applies the effective policy as a service config, guards calls with the
 * resolution state, the connection-pool limits (calls in flight and waiting, per mesh and
 * service) and the service's circuit breaker, and hands the channel to the mesh to close.
 */
public final class K8sMeshChannelFactory {

  private static final Logger log = LoggerFactory.getLogger(K8sMeshChannelFactory.class);

  /** gRPC's own cap on attempts when the channel does not raise it. */
  private static final int GRPC_DEFAULT_MAX_ATTEMPTS = 5;

  private K8sMeshChannelFactory() {}

  /**
   * Builds the channel.
   *
   * @param client the client layer for the whole channel (annotations or builder)
   * @param methods client layers for single methods, already merged over {@code client}
   * @throws IllegalArgumentException if the effective policy cannot be honoured by gRPC
   */
  public static ManagedChannel create(Mesh mesh, ServiceName service, ClientPolicy client,
      List<MethodPolicy> methods) {
    requireNonNull(mesh, "mesh");
    requireNonNull(service, "service");
    ClientPolicy channelPolicy =
        InternalMesh.effectivePolicy(mesh, service, requireNonNull(client, "client"));
    List<MethodPolicy> effective = new ArrayList<>();
    for (MethodPolicy m : methods) {
      effective.add(new MethodPolicy(
          m.service(), m.method(), InternalMesh.effectivePolicy(mesh, service, m.policy())));
    }
    Map<String, Object> serviceConfig = ServiceConfigs.of(channelPolicy, effective);
    warnUnsupported(service, channelPolicy);
    effective.forEach(m -> warnUnsupported(service, m.policy()));

    ResolutionState state = new ResolutionState();
    // the guard first: nothing to guard with the breaker when there is nowhere to send the call
    List<ClientInterceptor> policy = new ArrayList<>();
    policy.add(new ResolutionGuardInterceptor(state));
    MeshGrpcState meshState = MeshGrpcState.of(mesh);
    // before the breaker: a call shed for overload is no failure of the service
    ClusterPools.Registration pool = channelPolicy.connectionPool()
        .map(K8sMeshChannelFactory::limits).filter(l -> !l.none())
        .map(l -> ClusterPools.register(poolKey(mesh, service), l)).orElse(null);
    if (pool != null) {
      policy.add(PoolAdmission.of(ClusterPools.get(poolKey(mesh, service))));
    }
    channelPolicy.circuitBreaker().ifPresent(cb -> policy.add(
        new CircuitBreakerInterceptor(service, meshState.breaker(service, cb))));
    List<ClientInterceptor> interceptors = MeshClientInterceptors.of(mesh, service, policy);

    ManagedChannel channel = NettyChannelBuilder
        .forTarget(K8sNameResolver.SCHEME + ":///" + service)
        .usePlaintext()
        .setNameResolverArg(K8sNameResolver.MESH_ARG, mesh)
        .setNameResolverArg(ResolutionState.KEY, state)
        .disableServiceConfigLookUp()
        .defaultServiceConfig(serviceConfig)
        .enableRetry()
        .maxRetryAttempts(Math.max(GRPC_DEFAULT_MAX_ATTEMPTS,
            ServiceConfigs.maxAttempts(channelPolicy, effective)))
        .intercept(interceptors)
        .build();
    try {
      InternalMesh.own(mesh, () -> {
        try {
          close(channel);
        } finally {
          if (pool != null) {
            pool.close();
          }
        }
      });
    } catch (IllegalStateException closedMesh) {
      channel.shutdownNow();
      if (pool != null) {
        pool.close();
      }
      throw closedMesh;
    }
    return channel;
  }

  /**
   * The limits of calls in flight and waiting. {@code maxConnections} means nothing to a gRPC
   * channel (one HTTP/2 connection per endpoint); {@code maxRetries} is not applied to the
   * service config's retries (warned).
   */
  private static PoolLimits limits(ConnectionPoolSettings c) {
    return new PoolLimits(c.maxRequests(), c.maxPendingRequests(), PoolLimits.UNLIMITED);
  }

  /** One pool per mesh and service, shared by the mesh's channels to it. */
  private static String poolKey(Mesh mesh, ServiceName service) {
    return "k8s|" + Integer.toHexString(System.identityHashCode(mesh)) + "|" + service;
  }

  private static void close(ManagedChannel channel) throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }

  /** Says, once per channel, which policy fields this data plane does not enforce yet. */
  private static void warnUnsupported(ServiceName service, ClientPolicy p) {
    p.retry().filter(r -> r.hasPerTryTimeout()).ifPresent(r -> log.warn(
        "retry.perTryTimeout: {} for {} is not enforced by gRPC channels (gRPC retries have no"
            + " per-attempt timeout); the overall timeout still applies",
        Durations.format(r.perTryTimeout()), service));
    p.connectionPool().ifPresent(c -> {
      if (c.maxConnections() != ConnectionPoolSettings.UNLIMITED) {
        log.warn("connectionPool.maxConnections: {} for {} means nothing to gRPC channels (one"
            + " HTTP/2 connection per endpoint carries every call); maxRequests bounds calls",
            c.maxConnections(), service);
      }
      if (!c.connectTimeout().equals(ConnectionPoolSettings.DEFAULT.connectTimeout())) {
        log.warn("connectionPool.connectTimeout for {} is not enforced by gRPC channels (they"
            + " use gRPC's connection backoff)", service);
      }
      if (c.maxRetries() != ConnectionPoolSettings.UNLIMITED) {
        log.warn("connectionPool.maxRetries: {} for {} is not enforced by gRPC channels in"
            + " Kubernetes mode (gRPC's own retries run them)", c.maxRetries(), service);
      }
    });
  }
}
