package io.inboard.mesh.grpc.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.grpc.mtls.TestAds;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code maxRequestsPerConnection} and {@code idleTimeout} on gRPC clients end to end: the cluster's {@link
 * MeshXdsNames#GRPC_OUTLIER_POLICY} Struct carries it, and a real backend on 127.0.0.1 sees each
 * call's connection (its client address) and when connections close.
 */
@Timeout(60)
class ConnectionRecyclingTest {

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Map<String, Cluster> CLUSTERS = new LinkedHashMap<>();
  private static final Map<String, ClusterLoadAssignment> ENDPOINTS = new LinkedHashMap<>();
  private static final Map<String, Listener> LISTENERS = new LinkedHashMap<>();
  private static final Map<String, RouteConfiguration> ROUTES = new LinkedHashMap<>();

  private static TestAds ads;
  private static Server server;
  /** Each call's client address, in arrival order. */
  private static final List<SocketAddress> CALLS = new CopyOnWriteArrayList<>();
  /** The client addresses of the connections that closed. */
  private static final ScheduledExecutorService LATER =
      Executors.newSingleThreadScheduledExecutor();
  private static final Set<SocketAddress> CLOSED_PEERS =
      ConcurrentHashMap.newKeySet();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private XdsChannels xds;

  @BeforeAll
  static void start() throws Exception {
    ads = new TestAds();
    ServerInterceptor peer = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h,
          ServerCallHandler<Q, R> next) {
        CALLS.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        return next.startCall(call, h);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addTransportFilter(new ServerTransportFilter() {
          @Override
          public void transportTerminated(Attributes attrs) {
            CLOSED_PEERS.add(attrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
          }
        })
        .addService(ServerInterceptors.intercept(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest req, StreamObserver<SimpleResponse> out) {
            Runnable answer = () -> {
              out.onNext(SimpleResponse.getDefaultInstance());
              out.onCompleted();
            };
            if (req.getRequestMessage().startsWith("answer after ")) {
              // the call stays open that long on its connection
              LATER.schedule(answer, Long.parseLong(req.getRequestMessage().substring(13)),
                  TimeUnit.MILLISECONDS);
            } else {
              answer.run();
            }
          }
        }, peer)).build().start();
  }

  @BeforeEach
  void openXds() {
    xds = XdsChannels.forControlPlane(ads.address()).build();
  }

  @AfterEach
  void closeChannels() {
    channels.forEach(ManagedChannel::shutdownNow);
    xds.close();
  }

  @AfterAll
  static void stop() {
    server.shutdownNow();
    LATER.shutdownNow();
    ads.close();
  }

  @Test
  void aConnectionThatCarriedItsLimitIsReplacedByAFreshOneAndClosed() {
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(
        serve(Map.of("maxRequestsPerConnection", 3)));
    int before = CALLS.size();

    for (int i = 0; i < 3; i++) {
      stub.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
    }
    List<SocketAddress> firstThree = List.copyOf(CALLS.subList(before, CALLS.size()));
    assertThat(firstThree).hasSize(3).containsOnly(firstThree.get(0));
    // the third call started the replacement; once it is ready the old connection is shut down
    // (grpc closes it after its grace delay of a few seconds): picks had moved by then
    await().atMost(Duration.ofSeconds(30))
        .until(() -> CLOSED_PEERS.contains(firstThree.get(0)));
    int later = CALLS.size();
    for (int i = 0; i < 9; i++) {
      stub.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
    }

    assertThat(CALLS.subList(later, CALLS.size())).hasSize(9)
        .doesNotContain(firstThree.get(0));
  }

  @Test
  void withoutALimitOneConnectionCarriesEveryCall() {
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(
        serve(Map.of("maxPendingRequests", 100)));
    int before = CALLS.size();

    for (int i = 0; i < 12; i++) {
      stub.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
    }

    List<SocketAddress> seen = List.copyOf(CALLS.subList(before, CALLS.size()));
    assertThat(seen).hasSize(12);
    assertThat(seen.stream().distinct().count()).isEqualTo(1);
  }

  @Test
  void anIdleConnectionIsClosed_andTheNextCallConnectsAfreshWithoutFailing() {
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(
        serve(Map.of("idleTimeoutMs", 300)));
    int before = CALLS.size();
    stub.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
    SocketAddress first = CALLS.get(before);

    // idle for 300 ms, then closed after grpc's grace delay for shut-down subchannels (5 s)
    await().atMost(Duration.ofSeconds(30)).until(() -> CLOSED_PEERS.contains(first));
    // the child still counts the endpoint in: this call makes it connect, waits, and succeeds
    stub.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());

    List<SocketAddress> seen = List.copyOf(CALLS.subList(before, CALLS.size()));
    assertThat(seen).hasSize(2);
    assertThat(seen.get(1)).as("a new connection").isNotEqualTo(seen.get(0));
  }

  @Test
  void aConnectionCarryingACallLongerThanTheIdleTimeoutIsNotClosed() {
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(
        serve(Map.of("idleTimeoutMs", 500)));
    int before = CALLS.size();

    stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("answer after 2000").build());
    stub.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());

    List<SocketAddress> seen = List.copyOf(CALLS.subList(before, CALLS.size()));
    assertThat(seen).hasSize(2);
    assertThat(seen.get(1)).as("the same connection").isEqualTo(seen.get(0));
  }

  /** Serves a cluster of the backend with Inboard's policy carrying {@code fields}; a channel. */
  private ManagedChannel serve(Map<String, Integer> fields) {
    int id = IDS.incrementAndGet();
    String cluster = "outbound|80||recycle" + id + ".default.svc.cluster.local";
    String listener = "recycle" + id + ".test:80";
    Cluster c = TestAds.inboardPolicyCluster(cluster, fields);
    synchronized (ConnectionRecyclingTest.class) {
      CLUSTERS.put(cluster, c);
      ENDPOINTS.put(cluster, TestAds.endpoints(cluster, server.getPort()));
      LISTENERS.put(listener, TestAds.apiListener(listener));
      ROUTES.put(listener, RouteConfiguration.newBuilder().setName(listener)
          .addVirtualHosts(VirtualHost.newBuilder().setName("vh").addDomains("*")
              .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix(""))
                  .setRoute(RouteAction.newBuilder().setCluster(cluster)))).build());
      ads.serve(List.copyOf(CLUSTERS.values()), List.copyOf(ENDPOINTS.values()),
          List.copyOf(LISTENERS.values()), List.copyOf(ROUTES.values()));
    }
    ManagedChannel ch = xds.channel(listener);
    channels.add(ch);
    return ch;
  }
}
