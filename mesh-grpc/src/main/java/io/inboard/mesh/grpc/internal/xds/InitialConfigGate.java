package io.inboard.mesh.grpc.internal.xds;

import static java.util.Objects.requireNonNull;

import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.inboard.mesh.xds.internal.InProcessXdsBootstrap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wraps grpc-xds's resolver so that calls made before the control plane's first config wait for
 * it, up to a bound, and then fail with a message naming the missing resource.
 *
 * <p>Why: until a resolver reports anything, gRPC holds new calls (each bounded only by its own
 * deadline). grpc-xds reports early, though: when the control plane is unreachable it publishes
 * an error at once, which fails every call immediately, and when the listener does not exist it
 * says so after its own 15 s. Before the first usable config this gate passes neither kind of
 * error on, so calls keep waiting; when {@code bound} passes first, it reports {@code
 * UNAVAILABLE} naming the listener, the control planes and grpc-xds's last error. From the first
 * usable config on (or once the bound has passed) everything is passed on unchanged, so a later
 * outage keeps the last good config, as grpc-xds does.
 *
 * <p>The first usable config is passed on one step late, after grpc-xds's current task in the
 * synchronization context. grpc-xds's resolver hands the channel one config selector for its
 * whole life, which reads the resolver's mutable routing config; after an error that routing
 * config holds the error, and {@code XdsNameResolver.ResolveState.updateRoutes} publishes the new
 * service config before it replaces the routing config (so that new clusters exist before calls
 * are routed to them). Passed on at once, the first usable config releases the waiting calls on
 * the channel's call executor while the selector may still fail them with the old error
 * ({@code UNAVAILABLE: Error retrieving LDS resource ...}); one step later, both are current.
 * Results that follow while it is queued are queued behind it, so the order is kept.
 *
 * <p>A usable config is recognised by its service config: grpc-xds parses one with a
 * {@code loadBalancingConfig} (its cluster manager) only for a complete listener, route and
 * clusters, and an empty one with its errors.
 */
final class InitialConfigGate extends NameResolver {

  private final NameResolver delegate;
  private final String listenerName;
  private final List<String> controlPlanes;
  private final Duration bound;
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService scheduler;
  private final RecordingParser parser;
  /** The channel's, or a private one when the channel set none. */
  private final ConfigSelectorState selectorState;
  private SynchronizationContext.ScheduledHandle timer;
  private boolean configured;
  private boolean expired;
  private Status lastError;
  /** Deliveries to the channel queued in the synchronization context and not yet made. */
  private int queued;
  private boolean shutdown;

  private InitialConfigGate(NameResolver delegate, String listenerName, List<String> controlPlanes,
      Duration bound, NameResolver.Args args, RecordingParser parser) {
    this.delegate = delegate;
    this.listenerName = listenerName;
    this.controlPlanes = controlPlanes;
    this.bound = bound;
    this.syncContext = args.getSynchronizationContext();
    this.scheduler = args.getScheduledExecutorService();
    this.parser = parser;
    ConfigSelectorState state = args.getArg(ConfigSelectorState.KEY);
    this.selectorState = state != null ? state : new ConfigSelectorState();
  }

  /** Gates grpc-xds's resolver for {@code xds:///listenerName}, fetching through {@code client}. */
  static NameResolver create(String listenerName, NameResolver.Args args,
      InProcessXdsBootstrap.SharedClient client, List<String> controlPlanes, Duration bound) {
    RecordingParser parser = new RecordingParser(args.getServiceConfigParser());
    NameResolver.Args recorded = args.toBuilder().setServiceConfigParser(parser).build();
    NameResolver xds = InProcessXdsBootstrap.xdsResolver(listenerName, recorded, client);
    return new InitialConfigGate(xds, listenerName, controlPlanes, bound, args, parser);
  }

  @Override
  public String getServiceAuthority() {
    return delegate.getServiceAuthority();
  }

  @Override
  public void start(Listener2 listener) {
    requireNonNull(listener, "listener");
    selectorState.routing(false);
    timer = syncContext.schedule(() -> expire(listener), bound.toNanos(), TimeUnit.NANOSECONDS,
        scheduler);
    delegate.start(new Listener2() {
      @Override
      public void onResult(ResolutionResult result) {
        onResult2(result);
      }

      @Override
      public Status onResult2(ResolutionResult result) {
        if (!configured && parser.isUsable(result.getServiceConfig())) {
          configured = true;
          timer.cancel();
          // grpc-xds replaces the routing config its selector reads after this, in this task
          deliverLater(() -> {
            deliver(listener, result);
            selectorState.routing(true);
          });
          return Status.OK;
        }
        if (queued > 0) {
          deliverLater(() -> deliver(listener, result));
          return Status.OK;
        }
        if (configured || expired) {
          return listener.onResult2(result);
        }
        // an error config before the first usable one: hold calls back instead of failing them
        return Status.OK;
      }

      @Override
      public void onError(Status error) {
        if (queued > 0) {
          deliverLater(() -> listener.onError(error));
        } else if (configured || expired) {
          listener.onError(error);
        } else {
          lastError = error;
        }
      }
    });
  }

  /** Runs {@code delivery} after the current task, behind any delivery queued before it. */
  private void deliverLater(Runnable delivery) {
    queued++;
    syncContext.execute(() -> {
      queued--;
      if (!shutdown) {
        delivery.run();
      }
    });
  }

  /** Passes a queued result on; a refusal asks grpc-xds to resolve again, as it would itself. */
  private void deliver(Listener2 listener, ResolutionResult result) {
    if (!listener.onResult2(result).isOk()) {
      delegate.refresh();
    }
  }

  private void expire(Listener2 listener) {
    if (configured) {
      return;
    }
    expired = true;
    String detail = lastError == null ? "" : " (last xDS error: " + lastError.getCode() + ": "
        + lastError.getDescription() + ")";
    listener.onError(Status.UNAVAILABLE.withDescription("xDS listener '" + listenerName
        + "' (or the routes and clusters it names) not received from control plane "
        + String.join(", ", controlPlanes) + " within " + seconds(bound) + detail));
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  @Override
  public void refresh() {
    delegate.refresh();
  }

  @Override
  public void shutdown() {
    shutdown = true;
    selectorState.routing(false);
    if (timer != null) {
      timer.cancel();
    }
    delegate.shutdown();
  }

  /**
   * Remembers which parsed service configs carried a load-balancing config, and parses each
   * per-call method config once.
   *
   * <p>Why the memo: for every call on a route with a timeout or a retry policy, grpc-xds's
   * config selector builds a service config holding just that method config and has the channel's
   * parser parse it ({@code XdsNameResolver.ConfigSelector.selectConfig}), which builds a new
   * {@code ManagedChannelServiceConfig} with its method table and retry policy per call. The
   * result depends only on the map (a route's timeout and retry policy), and the parsed config is
   * immutable, so equal maps share one parse (compared by {@link MethodConfigKey}, which walks
   * the map without copying it). Configs with a {@code loadBalancingConfig} (the
   * resolver's own results) are parsed every time, as before.
   */
  static final class RecordingParser extends ServiceConfigParser {
    /** Distinct per-call configs kept; past it the memo starts over (routes change rarely). */
    static final int MAX_MEMOIZED = 256;

    private final ServiceConfigParser delegate;
    private final Map<MethodConfigKey, ConfigOrError> perCall = new ConcurrentHashMap<>();
    private volatile ConfigOrError lastUsable;
    private volatile ConfigOrError emptyMethodConfig;

    RecordingParser(ServiceConfigParser delegate) {
      this.delegate = delegate;
    }

    @Override
    public ConfigOrError parseServiceConfig(Map<String, ?> rawServiceConfig) {
      if (!rawServiceConfig.containsKey("loadBalancingConfig")) {
        return parseMethodConfig(rawServiceConfig);
      }
      ConfigOrError parsed = delegate.parseServiceConfig(rawServiceConfig);
      if (parsed.getError() == null && routesToClusters(rawServiceConfig)) {
        lastUsable = parsed;
      }
      return parsed;
    }

    private ConfigOrError parseMethodConfig(Map<String, ?> raw) {
      if (raw.isEmpty()) {
        // every call of a route whose policies the route filter hands grpc itself
        ConfigOrError empty = emptyMethodConfig;
        if (empty == null) {
          emptyMethodConfig = empty = delegate.parseServiceConfig(raw);
        }
        return empty;
      }
      MethodConfigKey key = new MethodConfigKey(raw);
      ConfigOrError parsed = perCall.get(key);
      if (parsed == null) {
        parsed = delegate.parseServiceConfig(raw);
        if (perCall.size() >= MAX_MEMOIZED) {
          perCall.clear();
        }
        // grpc-xds builds a fresh map per call and never changes it afterwards: safe as a key
        perCall.put(key, parsed);
      }
      return parsed;
    }

    /**
     * Whether grpc-xds's cluster manager names at least one cluster. After a failed fetch
     * grpc-xds can publish a cluster manager with no children, whose config selector fails
     * every call with the fetch error; that is not a usable config.
     */
    private static boolean routesToClusters(Map<String, ?> raw) {
      if (!(raw.get("loadBalancingConfig") instanceof List<?> configs)) {
        return false;
      }
      for (Object config : configs) {
        if (config instanceof Map<?, ?> policy) {
          for (Object body : policy.values()) {
            if (body instanceof Map<?, ?> b && b.get("childPolicy") instanceof Map<?, ?> children
                && !children.isEmpty()) {
              return true;
            }
          }
        }
      }
      return false;
    }

    boolean isUsable(ConfigOrError config) {
      return config != null && config == lastUsable;
    }
  }
}
