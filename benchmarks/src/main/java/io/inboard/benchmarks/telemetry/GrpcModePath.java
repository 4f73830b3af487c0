package io.inboard.benchmarks.telemetry;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.inboard.benchmarks.http.EchoServer;
import io.inboard.benchmarks.http.OpenLoop;
import io.inboard.benchmarks.mtls.ByteEcho;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.MeshGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * One mode's gRPC path, all in this JVM: a server mesh ({@code bench-server}) with a
 * {@link MeshGrpc#serverBuilder} server on 127.0.0.1 whose one unary method,
 * {@code bench.Echo/Get} (raw bytes, no generated stubs), answers {@value EchoServer#BODY_LEN}
 * bytes, and a client mesh ({@code bench-client}) whose {@link MeshChannels} channel (default
 * policy) calls {@code grpcecho} through {@link StaticDiscovery}. Both meshes have the mode's
 * telemetry.
 */
final class GrpcModePath implements ModePath {

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
    Mesh serverMesh = TelemetryMeshes.build("bench-server", mode, new StaticDiscovery(),
        collector);
    Server server;
    try {
      server = MeshGrpc.serverBuilder(serverMesh, new InetSocketAddress("127.0.0.1", 0))
          .addService(ByteEcho.service(ByteEcho.body()))
          .build().start();
    } catch (IOException | RuntimeException e) {
      serverMesh.close();
      throw e;
    }
    StaticDiscovery discovery = new StaticDiscovery().put(ServiceName.of("grpcecho", "default"),
        List.of(Endpoint.ready("127.0.0.1", server.getPort())));
    Mesh clientMesh = TelemetryMeshes.build("bench-client", mode, discovery, collector);
    ManagedChannel channel = MeshChannels.forService(clientMesh, "grpcecho").build();
    OpenLoop.Call call = ByteEcho.unaryCalls(channel);
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
}
