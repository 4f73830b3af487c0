package io.inboard.mesh.testing;

import static java.util.Objects.requireNonNull;

import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.testing.internal.FaultKnobs;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real gRPC server (Netty) on one loopback address, standing for one pod of a service: a JUnit
 * 5 extension (see {@link LifecycleExtension}) with fault knobs.
 *
 * <p>It serves grpc-java's test service {@code grpc.testing.SimpleService}: {@code UnaryRpc} and
 * {@code ServerStreamingRpc} answer with the backend's address as {@code response_message}, so a
 * test sees which endpoint served a call. The knobs ({@link #failPercent}, {@link #failWith},
 * {@link #delay}, {@link #hang}) act on those two methods; services added with
 * {@link Builder#service} are served as they are.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GrpcBackendExtension v2 = GrpcBackendExtension.on("127.0.0.3").version("v2").build();
 *
 * v2.failWith(Status.UNAVAILABLE);   // every call fails
 * }</pre>
 */
public final class GrpcBackendExtension extends LifecycleExtension<GrpcBackendExtension>
    implements LoopbackBackend {

  private final String ip;
  private final int requestedPort;
  private final Map<String, String> labels;
  private final List<ServerServiceDefinition> extraServices;
  private final List<ServerInterceptor> interceptors;
  private final FaultKnobs faults = new FaultKnobs();
  private final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
  private final Map<String, String> responseHeaders = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Status failure = Status.UNAVAILABLE.withDescription("fault injected");
  private volatile boolean hang;
  private Server server;
  private ScheduledExecutorService timer;

  private GrpcBackendExtension(Builder b) {
    this.ip = b.ip;
    this.requestedPort = b.port;
    this.labels = Map.copyOf(b.labels);
    this.extraServices = List.copyOf(b.services);
    this.interceptors = List.copyOf(b.interceptors);
  }

  /** Starts configuring a backend bound to {@code ip}, a loopback address such as {@code 127.0.0.2}. */
  public static Builder on(String ip) {
    return new Builder(ip);
  }

  @Override
  protected void doStart() throws Exception {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "grpc-backend-" + ip + "-timer");
      t.setDaemon(true);
      return t;
    });
    NettyServerBuilder builder = NettyServerBuilder.forAddress(
        new InetSocketAddress(ip, requestedPort));
    List<ServerInterceptor> all = new ArrayList<>(interceptors);
    all.add(recorder());
    builder.addService(ServerInterceptors.intercept(new EchoService(), all));
    for (ServerServiceDefinition s : extraServices) {
      builder.addService(ServerInterceptors.intercept(s, all));
    }
    server = builder.build().start();
  }

  @Override
  protected void doStop() {
    faults.release();
    server.shutdownNow();
    timer.shutdownNow();
  }

  /**
   * Stops taking new calls and lets calls in flight finish (up to 5 s), as a pod's {@code
   * preStop} would; the extension counts as stopped afterwards.
   */
  public void shutdownGracefully() throws InterruptedException {
    server.shutdown();
    server.awaitTermination(5, TimeUnit.SECONDS);
    close();
  }

  private ServerInterceptor recorder() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        lastHeaders.set(headers);
        if (responseHeaders.isEmpty()) {
          return next.startCall(call, headers);
        }
        Metadata extra = new Metadata();
        responseHeaders.forEach((k, v) ->
            extra.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        return next.startCall(new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata h) {
            h.merge(extra);
            super.sendHeaders(h);
          }
        }, headers);
      }
    };
  }

  private final class EchoService extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
      answer(response);
    }

    @Override
    public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
      answer(response);
    }
  }

  private void answer(StreamObserver<SimpleResponse> response) {
    boolean fail = faults.nextFails();
    if (hang) {
      return; // never answers: the client's deadline must end the call
    }
    Status f = failure;
    Runnable reply = () -> {
      faults.awaitRelease();
      if (fail) {
        response.onError(f.asRuntimeException());
      } else {
        response.onNext(SimpleResponse.newBuilder().setResponseMessage(ip).build());
        response.onCompleted();
      }
    };
    Duration d = faults.currentDelay();
    if (d.isZero()) {
      reply.run();
    } else {
      // a timer, not a sleeping server thread: slow calls must not hold each other up
      timer.schedule(reply, d.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public String ip() {
    return ip;
  }

  /** The bound port (the one given, or the one picked for port 0). */
  @Override
  public int port() {
    checkStarted();
    return server.getPort();
  }

  @Override
  public Map<String, String> labels() {
    return labels;
  }

  /** {@code <ip>:<port>}, to build a channel to the backend directly. */
  public String address() {
    return ip + ":" + port();
  }

  /** Calls of the test service received so far, each retry counted. */
  @Override
  public int calls() {
    return faults.requests();
  }

  /** The headers of the last call to any service of this backend, if any. */
  public Optional<Metadata> lastHeaders() {
    return Optional.ofNullable(lastHeaders.get());
  }

  /** Fails {@code percent} of calls (0..100, spread evenly) with {@link #failWith}'s status. */
  public GrpcBackendExtension failPercent(int percent) {
    faults.failPercent(percent);
    return this;
  }

  /**
   * Fails every call with {@code status} ({@code null}: answers normally again). The status
   * also applies to {@link #failPercent}; default {@code UNAVAILABLE}.
   */
  public GrpcBackendExtension failWith(Status status) {
    if (status == null) {
      faults.failPercent(0);
    } else {
      failure = status;
      faults.failPercent(100);
    }
    return this;
  }

  /** Answers every call after {@code delay}; default zero. */
  public GrpcBackendExtension delay(Duration delay) {
    faults.delay(requireNonNull(delay, "delay"));
    return this;
  }

  /**
   * Sends header {@code name: value} (ASCII) in the response headers of every call from now on,
   * as {@link HttpBackendExtension#responseHeader} does; {@link #reset} drops them.
   */
  public GrpcBackendExtension responseHeader(String name, String value) {
    responseHeaders.put(name, value);
    return this;
  }

  /** Stops sending the headers of {@link #responseHeader}. */
  public GrpcBackendExtension clearResponseHeaders() {
    responseHeaders.clear();
    return this;
  }

  /** Never answers calls while {@code hang} is set; default false. */
  public GrpcBackendExtension hang(boolean hang) {
    this.hang = hang;
    return this;
  }

  /** Back to answering at once without failures. */
  public GrpcBackendExtension reset() {
    faults.reset();
    responseHeaders.clear();
    failure = Status.UNAVAILABLE.withDescription("fault injected");
    hang = false;
    return this;
  }

  @Override
  public String toString() {
    return "GrpcBackendExtension{" + ip + ", " + labels + "}";
  }

  /** Configures a {@link GrpcBackendExtension}. */
  public static final class Builder extends BackendBuilder<Builder> {
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();

    private Builder(String ip) {
      super(ip);
    }

    /** Serves {@code service} too (no fault knobs apply to it). */
    public Builder service(BindableService service) {
      services.add(service.bindService());
      return this;
    }

    /** Runs {@code interceptor} in front of every service (first added runs last, as in gRPC). */
    public Builder interceptor(ServerInterceptor interceptor) {
      interceptors.add(requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** The backend, not started yet (JUnit starts it, or call {@code start()}). */
    public GrpcBackendExtension build() {
      return new GrpcBackendExtension(this);
    }
  }
}
