package io.inboard.e2e.telemetry;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.e2e.security.MeshedJetty;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshGrpc;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mesh workload on its own loopback address serving a gRPC {@code SimpleService} (through
 * {@code MeshGrpc.serverBuilder}) and HTTP (Jetty on {@code MeshJetty}'s connector behind the
 * mesh's filter), both following one script: fail the next N calls ({@code UNAVAILABLE} / 503),
 * or hold every call until {@link #release} (a slow backend). Counts calls and calls in flight.
 */
final class ScriptedPod implements AutoCloseable {
  /** The body both protocols answer with when the call succeeds. */
  static final String ANSWER = "hello from the pod";
  private static final Metadata.Key<String> END_USER =
      Metadata.Key.of("end-user", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> END_USER_SEEN = Context.key("end-user");

  final String ip;
  final Mesh mesh;
  private final Server grpc;
  private final org.eclipse.jetty.server.Server jetty;
  final AtomicInteger grpcCalls = new AtomicInteger();
  final AtomicInteger httpCalls = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile CountDownLatch hold = new CountDownLatch(0);

  ScriptedPod(Mesh mesh, String ip) throws Exception {
    this.ip = ip;
    this.mesh = mesh;
    grpc = MeshGrpc.serverBuilder(mesh, new InetSocketAddress(ip, 0))
        .addService(ServerInterceptors.intercept(new Simple(), new EndUser()))
        .build().start();
    jetty = MeshedJetty.start(mesh, ip, new Servlet());
  }

  int grpcPort() {
    return grpc.getPort();
  }

  int httpPort() {
    return MeshedJetty.port(jetty);
  }

  InetSocketAddress admin() {
    return mesh.adminAddress().orElseThrow();
  }

  /** The next {@code n} calls (either protocol) fail: gRPC UNAVAILABLE, HTTP 503. */
  ScriptedPod failNext(int n) {
    failuresLeft.set(n);
    return this;
  }

  /** From now on every call waits until {@link #release} (at most 20 s) before answering. */
  ScriptedPod holdCalls() {
    hold = new CountDownLatch(1);
    return this;
  }

  /** Lets every held call answer; later calls answer at once. */
  ScriptedPod release() {
    hold.countDown();
    return this;
  }

  /** Runs one call's script: true when it should fail. */
  private boolean script() {
    inFlight.incrementAndGet();
    try {
      hold.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
    return failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  private final class Simple extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
      grpcCalls.incrementAndGet();
      if (script()) {
        out.onError(Status.UNAVAILABLE.withDescription("scripted failure").asRuntimeException());
        return;
      }
      String endUser = END_USER_SEEN.get();
      out.onNext(SimpleResponse.newBuilder().setResponseMessage(
          endUser == null ? ANSWER : ANSWER + " end-user=" + endUser).build());
      out.onCompleted();
    }
  }

  /** Lets the service see the {@code end-user} header, as an application would read it. */
  private static final class EndUser implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      return Contexts.interceptCall(Context.current().withValue(END_USER_SEEN,
          headers.get(END_USER)), call, headers, next);
    }
  }

  private final class Servlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      httpCalls.incrementAndGet();
      if (script()) {
        resp.sendError(503, "scripted failure");
        return;
      }
      resp.setContentType("text/plain");
      String endUser = req.getHeader("end-user");
      resp.getWriter().write(endUser == null ? ANSWER : ANSWER + " end-user=" + endUser);
    }
  }

  @Override
  public void close() throws Exception {
    release();
    grpc.shutdownNow();
    jetty.stop();
    mesh.close();
  }
}
