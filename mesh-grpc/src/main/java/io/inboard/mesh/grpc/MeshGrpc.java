package io.inboard.mesh.grpc;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerBuilder;
import io.grpc.stub.AbstractStub;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.internal.PolicyAnnotations;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.grpc.internal.MeshChannelFactory;
import io.inboard.mesh.grpc.internal.client.ClientInterfaces;
import io.inboard.mesh.grpc.internal.client.MeshGrpcState;
import io.inboard.mesh.grpc.internal.client.MethodPolicy;
import io.inboard.mesh.grpc.internal.inbound.InboundStreamTracer;
import io.inboard.mesh.grpc.internal.tls.ServerTransportSecurity;
import io.inboard.mesh.grpc.internal.xds.MeshXds;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Annotated gRPC stubs, mesh servers, and per-mesh gRPC state.
 *
 * <pre>{@code
 * @MeshClient("reviews:9080")
 * @Timeout("3s")
 * @Retry(attempts = 2, retryOn = "unavailable")
 * @CircuitBreaker(failureRateThreshold = 50, slidingWindowSize = 20, minimumNumberOfCalls = 20)
 * interface ReviewsClient {
 *   @Timeout("500ms") void getReviews();   // overrides the interface for RPC GetReviews
 * }
 *
 * ReviewsGrpc.ReviewsBlockingStub stub =
 *     MeshGrpc.newStub(mesh, ReviewsGrpc::newBlockingStub, ReviewsClient.class);
 * }</pre>
 */
public final class MeshGrpc {

  private MeshGrpc() {}

  /**
   * A stub on a new channel to the service named by {@code clientType}'s {@code @MeshClient},
   * with the policy annotated on {@code clientType} ({@code @Retry}, {@code @Timeout},
   * {@code @CircuitBreaker}, {@code @LoadBalancer}).
   *
   * <p>Methods of {@code clientType} name RPCs as the generated stub does ({@code unaryRpc} for
   * RPC {@code UnaryRpc}), and their {@code @Retry} and {@code @Timeout} override the interface's
   * for that RPC. Control-plane policy overrides both. Each stub gets its own channel, owned by
   * the mesh: create stubs once and reuse them.
   *
   * <p>In xDS mode the control plane's routes decide retries, load balancing and the route
   * timeout; {@code @Timeout} becomes the default deadline of calls that set none (gRPC applies
   * the earlier of it and the route's timeout), {@code @CircuitBreaker} still applies, and
   * {@code @Retry} and {@code @LoadBalancer} are logged as not applied (grpc-xds never reads a
   * channel's default service config).
   *
   * @param stubFactory a generated factory such as {@code ReviewsGrpc::newBlockingStub}
   * @throws IllegalArgumentException {@code where field: value (expected: ...)} for a missing
   *     {@code @MeshClient}, an invalid annotation value, a method naming no RPC, a method-level
   *     {@code @CircuitBreaker}, or a policy gRPC cannot honour (such as LEAST_REQUEST)
   */
  public static <S extends AbstractStub<S>> S newStub(
      Mesh mesh, Function<Channel, S> stubFactory, Class<?> clientType) {
    requireNonNull(mesh, "mesh");
    requireNonNull(stubFactory, "stubFactory");
    requireNonNull(clientType, "clientType");
    ServiceName service = PolicyAnnotations.target(clientType, mesh.settings().namespace());
    ClientPolicy typePolicy = PolicyAnnotations.read(clientType);
    // The stub's class tells which service it calls; a stub on an idle channel costs nothing.
    Class<?> stubType = stubFactory.apply(UnusedChannel.INSTANCE).getClass();
    List<MethodPolicy> methods =
        ClientInterfaces.methodPolicies(clientType, stubType);
    ManagedChannel channel = MeshChannelFactory.create(mesh, service, typePolicy, methods);
    return stubFactory.apply(channel);
  }

  /**
   * A gRPC server builder for {@code mesh}'s workload on {@code port} of every interface; see
   * {@link #serverBuilder(Mesh, SocketAddress)}.
   *
   * @throws IllegalArgumentException if {@code port} is not in 0..65535
   */
  public static ServerBuilder<?> serverBuilder(Mesh mesh, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    return serverBuilder(mesh, new InetSocketAddress(port));
  }

  /**
   * A gRPC server builder (grpc-netty) for {@code mesh}'s workload on {@code address}, with
   * {@link MeshServerInterceptor} already added and the mesh's inbound mTLS applied per
   * connection. Add services and build it as usual:
   *
   * <pre>{@code
   * Server server = MeshGrpc.serverBuilder(mesh, 9080).addService(new ReviewsImpl()).build().start();
   * }</pre>
   *
   * <p>Each accepted connection follows the mTLS mode in force for the port it arrived on
   * (PeerAuthentication, served by the control plane; default PERMISSIVE), read at accept time,
   * so a policy change applies to the next connection without a restart:
   *
   * <ul>
   *   <li>{@code STRICT}: TLS with a mesh client certificate required; plaintext is refused.
   *   <li>{@code PERMISSIVE}: TLS (client certificate required) or plaintext on the same port,
   *       told apart by the first bytes.
   *   <li>{@code DISABLE}: plaintext only.
   * </ul>
   *
   * <p>A mesh without a workload identity serves plaintext whatever the mode. With one, the
   * server presents the workload's current certificate and accepts any client certificate that
   * verifies against the mesh roots (authorization decides who may call); rotation needs no
   * rebuild. Connections live at most 30 minutes, or half the certificate's lifetime if shorter
   * ({@code maxConnectionAge}), with 5 minutes' grace for calls in flight, so long-lived
   * connections move to new certificates. Both can be overridden on the builder.
   *
   * <p>The caller's SPIFFE ID is available to the service as
   * {@code RequestContext.current().peerPrincipal()}.
   */
  public static ServerBuilder<?> serverBuilder(Mesh mesh, SocketAddress address) {
    requireNonNull(mesh, "mesh");
    requireNonNull(address, "address");
    // the tracer counts each call's wire bytes for the hook's report
    return ServerTransportSecurity.serverBuilder(mesh, address)
        .addStreamTracerFactory(InboundStreamTracer.FACTORY)
        .intercept(MeshServerInterceptor.of(mesh));
  }

  /**
   * Connects {@code mesh} to its control plane now and stays connected, so that a workload that
   * only serves is registered (through its node metadata) before, or without, calling anyone.
   * Idempotent; the mesh closes the connection.
   *
   * @throws IllegalStateException if the mesh is not in xDS mode, announces no served service
   *     ({@code Mesh.builder().serves(...)}), or is closed
   */
  public static void announce(Mesh mesh) {
    MeshXds.of(mesh).announce();
  }

  /**
   * The circuit breaker guarding calls from {@code mesh}'s gRPC clients to {@code service}
   * (any port), if one of them configured a circuit breaker. Subscribe to its
   * {@link CircuitBreaker#getEventPublisher() events} to follow state transitions.
   */
  public static Optional<CircuitBreaker> circuitBreaker(Mesh mesh, ServiceName service) {
    return MeshGrpcState.find(mesh, service);
  }

  /** Lets a stub factory run before the real channel exists; it is never called. */
  private static final class UnusedChannel extends Channel {
    static final UnusedChannel INSTANCE = new UnusedChannel();

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
      throw new IllegalStateException("placeholder channel");
    }

    @Override
    public String authority() {
      return "unused";
    }
  }
}
