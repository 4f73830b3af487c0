package io.inboard.mesh.gateway;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.gateway.internal.GatewayListeners;
import io.inboard.mesh.gateway.internal.GatewayTransport;
import io.inboard.mesh.gateway.internal.HealthServer;
import io.inboard.mesh.http.InternalGatewayRouting;
import io.inboard.mesh.http.InternalMeshHttpClientBuilder;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.http.internal.transport.DaemonThreads;
import io.inboard.mesh.http.internal.transport.netty.NettyIo;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Inboard's ingress gateway: an edge proxy that is itself a mesh workload. The mesh (in xDS
 * mode) gives it its listeners and routes from the control plane, which translates Istio's
 * {@code Gateway} and the VirtualServices bound to it: each listener the index Listener
 * {@code inboard~gateway-listeners} names is bound on {@code bindHost:<port>}, and each request
 * is routed through its filter chain's route config with the mesh HTTP client's own engine, so
 * the routes' matches, retries, timeouts, faults, mirrors, header changes, load balancing and
 * mTLS to backends apply as in the library, and the calls are measured, traced and logged as
 * the workload's outbound calls.
 *
 * <p>Downstream it speaks HTTP/1.1 (keep-alive, pipelining served in order), HTTP/2 over
 * cleartext (prior knowledge or {@code Upgrade: h2c}) and TLS with SNI and ALPN, with the
 * certificates of each chain's DownstreamTlsContext (files are re-read when they change).
 * Request bodies up to 1 MiB are buffered so retries and mirrors can replay them; larger ones
 * stream once. Responses stream.
 *
 * <p>{@code GET /healthz/ready} on the health port answers 200 once the index was received and
 * every listener it lists is bound, 503 before.
 */
public final class IngressGateway implements AutoCloseable {

  /** The default health port, Istio's ingress gateway's status port. */
  public static final int DEFAULT_HEALTH_PORT = 15021;

  private final MeshHttpClient client;
  private final EventLoopGroup group;
  private final ExecutorService listenerThread;
  private final GatewayListeners listeners;
  private final HealthServer health;

  private IngressGateway(Builder b) {
    // one event loop per CPU, epoll where the native transport loads; the upstream tries run on
    // the loop of the downstream connection they serve, so a request never changes thread
    group = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
        new DaemonThreads("inboard-gateway-io-"),
        NettyIo.handlerFactory());
    client = InternalMeshHttpClientBuilder.eventLoops(InternalMeshHttpClientBuilder.transport(
        MeshHttpClient.builder(b.mesh), GatewayTransport.KIND), group).build();
    listenerThread = Executors.newSingleThreadExecutor(new DaemonThreads("inboard-gateway-config-"));
    GatewayListeners.Events events = b.events != null ? b.events : new GatewayListeners.Events() {
      @Override
      public void opened(String listener, int port, int boundPort, boolean tls) {}

      @Override
      public void closed(String listener, int port, int boundPort, boolean tls) {}
    };
    GatewayListeners l = null;
    HealthServer h = null;
    try {
      l = new GatewayListeners(InternalGatewayRouting.xds(client), group, b.bindHost,
          listenerThread, events,
          () -> io.inboard.mesh.api.internal.InternalMesh.telemetry(b.mesh).tracing());
      GatewayListeners ready = l;
      h = new HealthServer(b.bindHost, b.healthPort, ready::ready);
    } catch (RuntimeException e) {
      if (l != null) {
        l.close();
      }
      shutdown();
      throw e;
    }
    listeners = l;
    health = h;
    // a listener that cannot be served (bad TLS files, port taken) shows here with the reason
    io.inboard.mesh.api.internal.InternalMesh.configDumpSection(b.mesh, "gateway", l::dump);
  }

  /** A gateway builder for {@code mesh}, which must be in xDS mode. */
  public static Builder builder(Mesh mesh) {
    return new Builder(requireNonNull(mesh, "mesh"));
  }

  /** The bound health port (the chosen one when built with port 0). */
  public int healthPort() {
    return health.port();
  }

  /**
   * Server port (as the listener names it) → bound local port, for the listeners open now.
   */
  public Map<Integer, Integer> listeningPorts() {
    return listeners.listeningPorts();
  }

  /** Whether the index was received and every listener it lists is bound. */
  public boolean ready() {
    return listeners.ready();
  }

  /**
   * Stops watching, stops accepting, lets in-flight requests finish, then closes the HTTP
   * client and threads. The mesh stays open (its owner closes it).
   */
  @Override
  public void close() {
    health.close();
    listeners.close();
    shutdown();
  }

  private void shutdown() {
    listenerThread.shutdown();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    client.close();
  }

  /** Builds an {@link IngressGateway}. */
  public static final class Builder {
    private final Mesh mesh;
    private String bindHost = "0.0.0.0";
    private int healthPort = DEFAULT_HEALTH_PORT;
    private GatewayListeners.Events events;

    private Builder(Mesh mesh) {
      this.mesh = mesh;
    }

    /** The address listeners and the health port bind (default {@code 0.0.0.0}). */
    public Builder bindHost(String host) {
      this.bindHost = requireNonNull(host, "host");
      return this;
    }

    /** The health port (default {@value IngressGateway#DEFAULT_HEALTH_PORT}; 0: a free one). */
    public Builder healthPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("healthPort: " + port + " (expected: 0-65535)");
      }
      this.healthPort = port;
      return this;
    }

    Builder events(GatewayListeners.Events events) {
      this.events = events;
      return this;
    }

    /**
     * Starts the gateway: binds the health port and watches the listeners, which open as they
     * arrive.
     *
     * @throws IllegalStateException if the mesh is not in xDS mode
     */
    public IngressGateway build() {
      return new IngressGateway(this);
    }
  }

  /**
   * Prints {@code gateway listening on http://HOST:PORT} (or {@code https}) when a listener
   * opens and {@code gateway stopped listening on ...} when it closes, {@code PORT} being the
   * bound port; run.sh waits for the first line.
   */
  static GatewayListeners.Events printing(PrintStream out, String host) {
    return new GatewayListeners.Events() {
      @Override
      public void opened(String listener, int port, int boundPort, boolean tls) {
        out.println("gateway listening on " + (tls ? "https" : "http") + "://" + host + ":"
            + boundPort);
        out.flush();
      }

      @Override
      public void closed(String listener, int port, int boundPort, boolean tls) {
        out.println("gateway stopped listening on " + (tls ? "https" : "http") + "://" + host
            + ":" + boundPort);
        out.flush();
      }
    };
  }

  private static final String LEAK_DETECTION = "io.netty.leakDetection.level";

  /**
   * Runs the gateway until the JVM stops. Flags: {@code --control-plane HOST:PORT},
   * {@code --ca-address HOST:PORT}, {@code --identity-token-file F}, {@code --ca-root-cert F},
   * {@code --namespace NS} (default env {@code POD_NAMESPACE}, else {@code istio-system}),
   * {@code --workload-name N} (default env {@code INBOARD_WORKLOAD_NAME}, else
   * {@code istio-ingressgateway}), {@code --service-account SA} (default env
   * {@code SERVICE_ACCOUNT}, else {@code istio-ingressgateway-service-account}),
   * {@code --label k=v} (repeatable; default the injected labels, else {@code
   * istio=ingressgateway} and {@code app=istio-ingressgateway}), {@code --bind-host H}
   * (default {@code 0.0.0.0}), {@code --health-port N} (default 15021), {@code --admin-port N}.
   * What no flag gives comes from the injected environment. Prints {@code gateway listening on
   * http://HOST:PORT} (or {@code https}) when a listener opens, {@code gateway stopped
   * listening on ...} when it closes. Bad flags exit with status 2. Netty's buffer-leak detection
   * is off unless {@code -Dio.netty.leakDetection.level} asks for it. The gateway's image runs
   * it with {@code -XX:+UseParallelGC}.
   */
  public static void main(String[] args) throws InterruptedException {
    // Netty's default leak detection tracks one buffer in 128 with a stack trace: measurable
    // on an edge proxy's every request (BENCHMARKS.md), so off unless asked for
    if (System.getProperty(LEAK_DETECTION) == null) {
      System.setProperty(LEAK_DETECTION, "disabled");
    }
    GatewayFlags flags;
    try {
      flags = GatewayFlags.parse(args, System::getenv);
    } catch (IllegalArgumentException e) {
      System.err.println("inboard gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    Mesh mesh = flags.mesh(Mesh.builder()).build();
    PrintStream out = System.out;
    String host = flags.bindHost();
    IngressGateway gateway = builder(mesh).bindHost(host).healthPort(flags.healthPort())
        .events(printing(out, host)).build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      mesh.close();
      stopped.countDown();
    }, "inboard-gateway-shutdown"));
    stopped.await();
  }
}
