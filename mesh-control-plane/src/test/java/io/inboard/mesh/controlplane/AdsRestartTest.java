package io.inboard.mesh.controlplane;

import static io.inboard.mesh.controlplane.XdsTestBed.V1;
import static io.inboard.mesh.controlplane.XdsTestBed.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.controlplane.internal.ads.AdsServer;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.translate.XdsResources;
import io.inboard.mesh.controlplane.internal.translate.XdsTranslator;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.LoopbackPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restarted ADS server must update clients that still hold a version of its predecessor.
 * Works on {@link AdsServer} directly, so that the test knows when the client has subscribed.
 */
class AdsRestartTest {
  static final String FQDN = "restarted.default.svc.cluster.local";
  static final Set<String> TYPES = Set.of(
      "type.googleapis.com/envoy.config.listener.v3.Listener",
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
      "type.googleapis.com/envoy.config.cluster.v3.Cluster",
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment");

  final int port = LoopbackPorts.free();
  GrpcBackendExtension v1;
  GrpcBackendExtension v2;
  AdsServer ads;
  XdsChannels xds;
  ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    xds.close();
    ads.close();
    v1.close();
    v2.close();
  }

  @Test
  void clientHoldingPredecessorsVersionConvergesToRestartedServersConfig() throws Exception {
    v1 = GrpcBackendExtension.on(V1).build().start();
    v2 = GrpcBackendExtension.on(V2).port(v1.port()).build().start();
    Requests first = new Requests();
    ads = new AdsServer("127.0.0.1", port, first);
    ads.publish(onlyEndpoint(V1));
    xds = XdsChannels.forControlPlane("127.0.0.1:" + port).build();
    channel = xds.channel(FQDN + ":" + v1.port());
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(channel);
    assertThat(call(stub)).isEqualTo(V1);
    await().atMost(Duration.ofSeconds(10)).until(() -> first.acked.containsAll(TYPES));

    ads.close();
    Requests second = new Requests();
    ads = LoopbackPorts.startRetrying(() -> new AdsServer("127.0.0.1", port, second));
    // the client re-subscribes with the versions it holds before the new server has config;
    // a server counting from 1 again then publishes its first config under the very version
    // the client holds, and the cache pushes nothing
    await().atMost(Duration.ofSeconds(20)).until(() -> second.subscribed.containsAll(TYPES));
    ads.publish(onlyEndpoint(V2));

    await().atMost(Duration.ofSeconds(10)).until(() -> call(stub).equals(V2));
  }

  /** The service with its only endpoint on {@code ip}. */
  private XdsResources onlyEndpoint(String ip) {
    return new XdsTranslator().translate(new MeshConfig(List.of(),
        List.of(new ServiceEndpoint(FQDN, v1.port(), ip, Map.of()))));
  }

  private static String call(SimpleServiceGrpc.SimpleServiceBlockingStub stub) {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
  }

  /** The types a client has subscribed to, and those it has ACKed. */
  static final class Requests implements DiscoveryServerCallbacks {
    final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    final Set<String> acked = ConcurrentHashMap.newKeySet();

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
      subscribed.add(request.getTypeUrl());
      if (!request.getResponseNonce().isEmpty() && !request.hasErrorDetail()) {
        acked.add(request.getTypeUrl());
      }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}
  }
}
