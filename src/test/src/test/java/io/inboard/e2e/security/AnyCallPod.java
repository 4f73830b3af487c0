package io.inboard.e2e.security;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshGrpc;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A mesh workload that answers any gRPC method ({@code /any.Service/Any}) and any HTTP method
 * and path, on its own loopback address, with what the application saw of the request: {@code
 * ok authorization=<present|absent> x-jwt-sub=<value> x-jwt-payload=<present|absent>}. An
 * authorization conformance row can then send the same path to both planes.
 */
final class AnyCallPod implements AutoCloseable {
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withCause(e).asRuntimeException();
      }
    }
  };

  final String ip;
  final Mesh mesh;
  private final Server grpc;
  private final org.eclipse.jetty.server.Server jetty;

  AnyCallPod(Mesh mesh, String ip) throws Exception {
    this.ip = ip;
    this.mesh = mesh;
    grpc = MeshGrpc.serverBuilder(mesh, new InetSocketAddress(ip, 0))
        .fallbackHandlerRegistry(new AnyMethod()).build().start();
    jetty = MeshedJetty.start(mesh, ip, new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp)
          throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write(answer(req::getHeader));
      }
    });
  }

  int grpcPort() {
    return grpc.getPort();
  }

  int httpPort() {
    return MeshedJetty.port(jetty);
  }

  /** What the application saw, the same on both planes. */
  static String answer(Function<String, String> header) {
    String sub = header.apply("x-jwt-sub");
    return "ok authorization=" + (header.apply("authorization") == null ? "absent" : "present")
        + " x-jwt-sub=" + (sub == null ? "" : sub)
        + " x-jwt-payload=" + (header.apply("x-jwt-payload") == null ? "absent" : "present");
  }

  /** Every method name is served, as a unary call answering {@link #answer}. */
  private static final class AnyMethod extends HandlerRegistry {
    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(methodName)
          .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
      return ServerMethodDefinition.create(method, new Answering());
    }
  }

  private static final class Answering implements ServerCallHandler<byte[], byte[]> {
    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call,
        Metadata headers) {
      call.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onHalfClose() {
          call.sendHeaders(new Metadata());
          call.sendMessage(answer(name -> headers.get(
              Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER)))
              .getBytes(StandardCharsets.UTF_8));
          call.close(Status.OK, new Metadata());
        }
      };
    }
  }

  @Override
  public void close() throws Exception {
    grpc.shutdownNow();
    jetty.stop();
    mesh.close();
  }
}
