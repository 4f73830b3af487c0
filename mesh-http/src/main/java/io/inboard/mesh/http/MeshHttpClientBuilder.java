package io.inboard.mesh.http;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.internal.Durations;
import io.inboard.mesh.http.internal.ClientCore;
import io.inboard.mesh.http.internal.transport.TransportKind;
import io.inboard.mesh.http.internal.transport.netty.NettyEventLoops;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Configures a {@link MeshHttpClient}.
 *
 * <p>How each {@link ClientPolicy} field is applied:
 * <ul>
 *   <li>{@code timeout}: covers the whole call, every try and backoff included.
 *   <li>{@code retry}: {@code attempts} retries (so {@code attempts + 1} sends at most), on the
 *       conditions of {@code retryOn} ({@code 5xx}, {@code gateway-error}, {@code reset},
 *       {@code connect-failure}, {@code retriable-4xx}, listed status codes; a per-try timeout
 *       counts under {@code 5xx}, {@code gateway-error} and {@code reset}); each retry waits a
 *       fully jittered backoff in {@code [0, min(baseBackoff * 2^(n-1), maxBackoff)]} and goes to
 *       a different endpoint when there is one. {@code perTryTimeout} bounds each try up to the
 *       response headers (the JDK client's request timeout). Any method is retried, as in Envoy;
 *       the request's body publisher must be able to publish again (the JDK's built-in ones
 *       can).
 *   <li>{@code loadBalancer}: all of Istio's simple algorithms and ring hash on a header,
 *       cookie or query parameter. {@code SourceIp} hashing sends all of this process's calls
 *       to one endpoint, since they share a source.
 *   <li>{@code connectionPool}, as Envoy's circuit breakers: a call over {@code maxRequests}
 *       in flight per service fails at once with {@code OVERLOADED}; a call that finds all
 *       {@code maxConnections} busy (one request per HTTP/1.1 connection) waits for one, up to
 *       {@code maxPendingRequests} such calls, and beyond that fails too. Over HTTP/1.1 that
 *       caps the connections <em>in use</em>; the JDK client may keep further idle
 *       keep-alive connections, which its JVM-wide {@code jdk.httpclient.connectionPoolSize}
 *       system property (not set by Inboard) bounds. {@code maxRetries} caps retries outstanding
 *       per service. {@code connectTimeout} is the transport's connect timeout. On {@link
 *       HttpTransport#NETTY}, idle connections are kept per endpoint and event loop (at most
 *       256 each) and closed after {@code idleTimeout} (default 30 s), and a connection that
 *       carried {@code maxRequestsPerConnection} requests is closed after them.
 *   <li>{@code outlierDetection}: consecutive 5xx (and connect failures, resets, timeouts) or
 *       consecutive gateway errors eject an endpoint for {@code baseEjectionTime} times its
 *       ejection count (at most 300 s), at most {@code maxEjected(n)} endpoints at once; it
 *       returns on the first call after its time. If every endpoint is ejected, calls fail with
 *       {@code OVERLOADED}.
 *   <li>{@code circuitBreaker}: one resilience4j breaker per service, counting each call
 *       (after its retries) as one outcome: a 5xx or an error is a failure.
 * </ul>
 * The load balancer, connection pool, outlier detection and circuit breaker belong to the
 * service, not to a call: they are fixed by the first use of the service in this client.
 */
public final class MeshHttpClientBuilder {

  private final Mesh mesh;
  private final Map<ServiceName, ClientPolicy> policies = new LinkedHashMap<>();
  private ClientPolicy defaultPolicy = ClientPolicy.EMPTY;
  private Duration discoveryTimeout = Duration.ofSeconds(5);
  private Executor executor;
  private TransportKind transport = TransportKind.JDK;
  /** Whether calls complete on {@link #executor}, not the Netty loops (applications' NETTY). */
  private boolean hopCompletions;
  private EventLoopGroup eventLoops;

  MeshHttpClientBuilder(Mesh mesh) {
    this.mesh = mesh;
  }

  /**
   * The client policy layer for {@code service} ({@code reviews}, {@code reviews.default}, ...;
   * a port is ignored). Control-plane policy still overrides it, field by field.
   */
  public MeshHttpClientBuilder policy(String service, ClientPolicy policy) {
    return policy(mesh.service(requireNonNull(service, "service")), policy);
  }

  /** {@link #policy(String, ClientPolicy)} for a parsed name. */
  public MeshHttpClientBuilder policy(ServiceName service, ClientPolicy policy) {
    policies.put(requireNonNull(service, "service").withoutPort(),
        requireNonNull(policy, "policy"));
    return this;
  }

  /**
   * The client layer for services without their own {@link #policy} (default
   * {@link ClientPolicy#EMPTY}, so {@link ClientPolicy#DEFAULTS} apply: no retries, no timeout,
   * round robin, no limits).
   */
  public MeshHttpClientBuilder defaultPolicy(ClientPolicy policy) {
    this.defaultPolicy = requireNonNull(policy, "policy");
    return this;
  }

  /**
   * How long the first call to a service waits for discovery's first answer before failing
   * with {@code NOT_YET_DISCOVERED} (default 5 s). The wait blocks no thread.
   */
  public MeshHttpClientBuilder discoveryTimeout(Duration timeout) {
    this.discoveryTimeout = Durations.requirePositive("discoveryTimeout", timeout);
    return this;
  }

  /**
   * The executor the JDK client and call completions run on (default: a pool of
   * {@code max(2, CPUs)} daemon threads owned and shut down by the client). A given executor is
   * not shut down by the client. It must not be the common pool on small machines: with one
   * worker, the JDK client then starts a thread per request. On {@link HttpTransport#NETTY} it
   * runs call completions only.
   */
  public MeshHttpClientBuilder executor(Executor executor) {
    this.executor = requireNonNull(executor, "executor");
    return this;
  }

  /**
   * What sends the requests (default {@link HttpTransport#JDK}, the JDK's HTTP client). {@link
   * HttpTransport#NETTY} is Inboard's own transport on Netty event loops, lighter per call; see
   * there for its threads.
   */
  public MeshHttpClientBuilder transport(HttpTransport transport) {
    requireNonNull(transport, "transport");
    this.transport = transport == HttpTransport.NETTY ? TransportKind.NETTY : TransportKind.JDK;
    this.hopCompletions = transport == HttpTransport.NETTY;
    return this;
  }

  /** See {@link InternalMeshHttpClientBuilder#transport}: calls complete on the loops. */
  void transport(TransportKind kind) {
    this.transport = requireNonNull(kind, "kind");
    this.hopCompletions = false;
  }

  /** See {@link InternalMeshHttpClientBuilder#eventLoops}. */
  void eventLoops(EventLoopGroup group) {
    this.eventLoops = requireNonNull(group, "group");
  }

  /** Builds the client and registers it with the mesh, which closes it on close. */
  public MeshHttpClient build() {
    Executor exec = executor;
    EventLoopGroup ownedLoops = null;
    if (transport == TransportKind.NETTY) {
      // the engine takes the Netty transport's loops as its executor (see DestinationFactory)
      if (eventLoops == null) {
        ownedLoops = NettyEventLoops.newGroup();
        exec = ownedLoops;
      } else {
        exec = eventLoops;
      }
    }
    ClientCore core = new ClientCore(mesh, policies, defaultPolicy, discoveryTimeout, exec,
        transport, hopCompletions, executor);
    MeshHttpClient client = new MeshHttpClient(core);
    try {
      if (ownedLoops != null) {
        EventLoopGroup loops = ownedLoops;
        // closed with the mesh (the client's close does not reach here; its threads are
        // daemons and idle once the client's connections close)
        InternalMesh.own(mesh, () -> loops.shutdownGracefully(0, 1, TimeUnit.SECONDS));
      }
      return InternalMesh.own(mesh, client);
    } catch (IllegalStateException e) {
      core.close();
      if (ownedLoops != null) {
        ownedLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
      throw e;
    }
  }
}
