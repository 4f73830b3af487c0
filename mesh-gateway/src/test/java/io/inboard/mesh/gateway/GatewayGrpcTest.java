package io.inboard.mesh.gateway;

import static io.inboard.mesh.gateway.GatewayXds.host;
import static io.inboard.mesh.gateway.GatewayXds.prefix;
import static io.inboard.mesh.gateway.GatewayXds.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * gRPC passes through the gateway: a grpc-java client speaking h2c to the gateway reaches a
 * grpc-java server behind it, and the call's status, which travels in HTTP/2 trailers, comes
 * back as the server set it.
 */
class GatewayGrpcTest {

  private static final String ECHO = GatewayXds.clusterName("echo", 9090);
  private static Server server;
  private static GatewayRig rig;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
            if (request.getRequestMessage().equals("missing")) {
              out.onError(Status.NOT_FOUND.withDescription("no such book").asRuntimeException());
              return;
            }
            out.onNext(SimpleResponse.newBuilder()
                .setResponseMessage("echo " + request.getRequestMessage()).build());
            out.onCompleted();
          }
        }).build().start();
    rig = new GatewayRig();
    rig.xds.serve(
        List.of(GatewayXds.plaintext(rig.port, "http.g"),
            GatewayXds.index(GatewayXds.listenerName(rig.port))),
        List.of(routes("http.g", host("all", "*").addRoutes(prefix("/", ECHO)).build())),
        List.of(GatewayXds.cluster(ECHO)),
        List.of(GatewayXds.endpoints(ECHO, server.getPort())));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", rig.port).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    rig.close();
    server.shutdownNow();
  }

  @Test
  void aUnaryCallPassesThroughTheGateway() {
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(channel);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.newBuilder()
            .setRequestMessage("hello").build()).getResponseMessage()).isEqualTo("echo hello"));
  }

  @Test
  void theServersStatusComesBackThroughTheTrailers() {
    aUnaryCallPassesThroughTheGateway();
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(() -> stub.withDeadlineAfter(5, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("missing").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).isEqualTo("no such book");
        });
  }
}
