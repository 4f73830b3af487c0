package io.inboard.e2e.security;

import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.grpc.MeshGrpc;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A mesh workload on its own loopback address serving gRPC ({@code MeshGrpc.serverBuilder}) and
 * HTTP (Jetty on {@code MeshJetty}'s connector). Both answer how the caller reached them:
 * {@code mtls <caller's SPIFFE ID>} or {@code plain}.
 */
final class MeshedPod implements AutoCloseable {
  final String ip;
  final Mesh mesh;
  private final Server grpc;
  private final org.eclipse.jetty.server.Server jetty;

  MeshedPod(Mesh mesh, String ip) throws Exception {
    this.ip = ip;
    this.mesh = mesh;
    grpc = MeshGrpc.serverBuilder(mesh, new InetSocketAddress(ip, 0))
        .addService(new Echo()).build().start();
    jetty = MeshedJetty.start(mesh, ip, new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write(answer());
      }
    });
  }

  int grpcPort() {
    return grpc.getPort();
  }

  int httpPort() {
    return MeshedJetty.port(jetty);
  }

  static String answer() {
    String peer = RequestContext.current().peerPrincipal();
    return peer.isEmpty() ? "plain" : "mtls " + peer;
  }

  private static final class Echo extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
      out.onNext(SimpleResponse.newBuilder().setResponseMessage(answer()).build());
      out.onCompleted();
    }
  }

  @Override
  public void close() throws Exception {
    grpc.shutdownNow();
    jetty.stop();
    mesh.close();
  }
}
