package io.inboard.mesh.grpc.route;

import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback gRPC backend that records each call it receives (authority and request headers)
 * and behaves as the request's text says, {@code <id>;<behaviour>}: {@code ok}; {@code
 * slow=<ms>} (every try answers after that long); {@code slowFirst=<ms>} (the first try of the
 * id answers after that long, later ones at once); {@code fail=<CODE>} (every try fails so);
 * {@code failFirst=<CODE>} (the first try fails so); {@code failFirstThenSlow=<ms>} (the first
 * try fails UNAVAILABLE, later ones answer after that long). It answers its name, sends response headers
 * {@code x-backend} and {@code x-drop}, and delays on a timer, never by sleeping.
 */
final class RouteBackend implements AutoCloseable {

  /** One call as the backend saw it. */
  record Seen(String id, String authority, Metadata headers) {}

  static final Metadata.Key<String> BACKEND =
      Metadata.Key.of("x-backend", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> DROP =
      Metadata.Key.of("x-drop", Metadata.ASCII_STRING_MARSHALLER);

  private static final io.grpc.Context.Key<String> AUTHORITY = io.grpc.Context.key("authority");
  private static final io.grpc.Context.Key<Metadata> HEADERS = io.grpc.Context.key("headers");

  final String name;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Server server;

  RouteBackend(String name) throws IOException {
    this.name = name;
    ServerInterceptor record = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        ServerCall<Q, R> withHeaders = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata h) {
            h.put(BACKEND, name);
            h.put(DROP, "1");
            super.sendHeaders(h);
          }
        };
        io.grpc.Context ctx = io.grpc.Context.current().withValue(AUTHORITY, call.getAuthority())
            .withValue(HEADERS, headers);
        return Contexts.interceptCall(ctx, withHeaders, headers, next);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(new Service(), record)).build().start();
  }

  int port() {
    return server.getPort();
  }

  /** The tries the backend received for {@code id}. */
  List<Seen> tries(String id) {
    return seen.stream().filter(s -> s.id().equals(id)).toList();
  }

  private final class Service extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest req, StreamObserver<SimpleResponse> out) {
      String[] parts = req.getRequestMessage().split(";", 2);
      String id = parts[0];
      String behaviour = parts.length > 1 ? parts[1] : "ok";
      seen.add(new Seen(id, AUTHORITY.get(), HEADERS.get()));
      int n = tries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      String[] kv = behaviour.split("=", 2);
      Runnable answer = () -> {
        out.onNext(SimpleResponse.newBuilder().setResponseMessage(name).build());
        out.onCompleted();
      };
      switch (kv[0]) {
        case "slow" -> timer.schedule(answer, Long.parseLong(kv[1]), TimeUnit.MILLISECONDS);
        case "slowFirst" -> {
          if (n == 1) {
            timer.schedule(answer, Long.parseLong(kv[1]), TimeUnit.MILLISECONDS);
          } else {
            answer.run();
          }
        }
        case "fail" -> out.onError(Status.fromCode(Status.Code.valueOf(kv[1])).asException());
        case "failFirstThenSlow" -> {
          if (n == 1) {
            out.onError(Status.UNAVAILABLE.asException());
          } else {
            timer.schedule(answer, Long.parseLong(kv[1]), TimeUnit.MILLISECONDS);
          }
        }
        case "failFirst" -> {
          if (n == 1) {
            out.onError(Status.fromCode(Status.Code.valueOf(kv[1])).asException());
          } else {
            answer.run();
          }
        }
        default -> answer.run();
      }
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    timer.shutdownNow();
  }
}
