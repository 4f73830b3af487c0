package io.inboard.benchmarks.telemetry;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.inboard.benchmarks.http.EchoServer;
import io.inboard.benchmarks.http.OpenLoop;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.MeshGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One mode's gRPC path, all in this JVM: a server mesh ({@code bench-server}) with a
 * {@link MeshGrpc#serverBuilder} server on 127.0.0.1 whose one unary method,
 * {@code bench.Echo/Get} (raw bytes, no generated stubs), answers {@value EchoServer#BODY_LEN}
 * bytes, and a client mesh ({@code bench-client}) whose {@link MeshChannels} channel (default
 * policy) calls {@code grpcecho} through {@link StaticDiscovery}. Both meshes have the mode's
 * telemetry.
 */
final class GrpcModePath implements ModePath {

  private static final MethodDescriptor<byte[], byte[]> GET =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Get"))
          .setRequestMarshaller(Bytes.INSTANCE)
          .setResponseMarshaller(Bytes.INSTANCE)
          .build();
  private static final byte[] EMPTY = new byte[0];

  private final Mesh serverMesh;
  private final Server server;
  private final Mesh clientMesh;
  private final OpenLoop.Call call;

  private GrpcModePath(Mesh serverMesh, Server server, Mesh clientMesh, OpenLoop.Call call) {
    this.serverMesh = serverMesh;
    this.server = server;
    this.clientMesh = clientMesh;
    this.call = call;
  }

  static GrpcModePath start(TelemetryMode mode, URI collector) throws Exception {
    byte[] body = new byte[EchoServer.BODY_LEN];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    Mesh serverMesh = TelemetryMeshes.build("bench-server", mode, new StaticDiscovery(),
        collector);
    Server server;
    try {
      server = MeshGrpc.serverBuilder(serverMesh, new InetSocketAddress("127.0.0.1", 0))
          .addService(ServerServiceDefinition.builder("bench.Echo")
              .addMethod(GET, ServerCalls.asyncUnaryCall((req, out) -> {
                out.onNext(body);
                out.onCompleted();
              }))
              .build())
          .build().start();
    } catch (IOException | RuntimeException e) {
      serverMesh.close();
      throw e;
    }
    StaticDiscovery discovery = new StaticDiscovery().put(ServiceName.of("grpcecho", "default"),
        List.of(Endpoint.ready("127.0.0.1", server.getPort())));
    Mesh clientMesh = TelemetryMeshes.build("bench-client", mode, discovery, collector);
    ManagedChannel channel = MeshChannels.forService(clientMesh, "grpcecho").build();
    OpenLoop.Call call = () -> {
      ListenableFuture<byte[]> f = ClientCalls.futureUnaryCall(channel.newCall(GET,
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), EMPTY);
      CompletableFuture<Integer> out = new CompletableFuture<>();
      Futures.addCallback(f, new FutureCallback<>() {
        @Override
        public void onSuccess(byte[] response) {
          out.complete(response.length);
        }

        @Override
        public void onFailure(Throwable t) {
          out.completeExceptionally(t);
        }
      }, MoreExecutors.directExecutor());
      return out;
    };
    return new GrpcModePath(serverMesh, server, clientMesh, call);
  }

  @Override
  public OpenLoop.Call call() {
    return call;
  }

  @Override
  public void close() {
    clientMesh.close(); // shuts the channel down
    server.shutdownNow();
    serverMesh.close();
  }

  private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
