package io.grpc.xds;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptor;
import io.grpc.xds.client.XdsClient;
import io.inboard.mesh.xds.internal.GrpcClientFilter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inboard's entry into grpc internals, so that a grpc upgrade changes this package only (this
 * class, {@link InboardResolverClient} and {@link InboardRouteMethodConfig}). It lives in
 * package {@code io.grpc.xds} (a split package: works on the class path, not on the module path)
 * because grpc-xds 1.85.1 has no public way to add an HTTP filter: {@link Filter}, {@link
 * Filter.Provider}, {@link FilterRegistry} and {@link ConfigOrError} are package-private, as are
 * the parsed routes {@link InboardResolverClient} rewrites.
 *
 * <p>Each concern has its own section below; other modules call only the public static methods.
 */
public final class InboardGrpcBridge {
  private static final Logger log = LoggerFactory.getLogger(InboardGrpcBridge.class);

  private InboardGrpcBridge() {}

  // ---------------------------------------------------------------------------------------------
  // Client HTTP filters (gRFC A39): registration with grpc-xds's FilterRegistry
  // ---------------------------------------------------------------------------------------------

  private static final Set<String> REGISTERED = new HashSet<>();

  /**
   * Adds {@code filter} to grpc-xds's JVM-wide filter registry, once per type URL (later calls
   * for the same type URL do nothing). Call before the first {@code xds:///} channel: the registry
   * is a plain HashMap that xDS client threads read while they parse resources.
   */
  public static synchronized void registerClientFilter(GrpcClientFilter<?> filter) {
    requireNonNull(filter, "filter");
    if (REGISTERED.add(filter.typeUrl())) {
      FilterRegistry.getDefaultRegistry().register(new ProviderAdapter<>(filter));
    }
  }

  /**
   * Parsed config as grpc-xds holds it. Equal configs compare equal (grpc-xds compares updates),
   * whatever their memo.
   *
   * <p>The memo: grpc-xds asks a filter for its interceptor on every call ({@code
   * XdsNameResolver.ConfigSelector.selectConfig}), with the same config objects for every call
   * of a route until the next update. So the interceptor built for a route's most specific
   * config is kept on that config, for the listener-wide config and scheduler it was built with.
   */
  static final class ParsedConfig<C> implements Filter.FilterConfig {
    private final String typeUrl;
    private final C value;
    private final InboardRouteMethodConfig methodConfig;
    private volatile Memo memo;

    /**
     * @param methodConfig the route's timeout and retry policy, when {@link
     *     InboardResolverClient} moved them here from the route action (null otherwise, and
     *     always for the listener-wide config)
     */
    ParsedConfig(String typeUrl, C value, InboardRouteMethodConfig methodConfig) {
      this.typeUrl = typeUrl;
      this.value = value;
      this.methodConfig = methodConfig;
    }

    @Override
    public String typeUrl() {
      return typeUrl;
    }

    C value() {
      return value;
    }

    InboardRouteMethodConfig methodConfig() {
      return methodConfig;
    }

    ParsedConfig<C> withMethodConfig(InboardRouteMethodConfig config) {
      return new ParsedConfig<>(typeUrl, value, config);
    }

    /** What was built for {@code top} and {@code scheduler}, or null when nothing was. */
    Memo memoized(Object top, ScheduledExecutorService scheduler) {
      Memo m = memo;
      return m != null && m.top == top && m.scheduler == scheduler ? m : null;
    }

    void memoize(Object top, ScheduledExecutorService scheduler, ClientInterceptor interceptor) {
      memo = new Memo(top, scheduler, interceptor);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParsedConfig<?> p && typeUrl.equals(p.typeUrl)
          && Objects.equals(value, p.value) && Objects.equals(methodConfig, p.methodConfig);
    }

    @Override
    public int hashCode() {
      return Objects.hash(typeUrl, value, methodConfig);
    }

    @Override
    public String toString() {
      return "ParsedConfig[typeUrl=" + typeUrl + ", value=" + value + ", methodConfig="
          + methodConfig + "]";
    }

    /** An interceptor (null: none needed) and what it was built for. */
    record Memo(Object top, ScheduledExecutorService scheduler, ClientInterceptor interceptor) {}
  }

  private static final class ProviderAdapter<C> implements Filter.Provider {
    private final GrpcClientFilter<C> filter;

    ProviderAdapter(GrpcClientFilter<C> filter) {
      this.filter = filter;
    }

    @Override
    public String[] typeUrls() {
      return new String[] {filter.typeUrl()};
    }

    @Override
    public boolean isClientFilter() {
      return true;
    }

    @Override
    public Filter newInstance(Filter.FilterContext context) {
      return new FilterAdapter<>(filter);
    }

    @Override
    public ConfigOrError<ParsedConfig<C>> parseFilterConfig(Message raw,
        Filter.FilterConfigParseContext context) {
      try {
        return ConfigOrError.fromConfig(
            new ParsedConfig<>(filter.typeUrl(), filter.parse(asAny(raw)), null));
      } catch (IllegalArgumentException e) {
        return ConfigOrError.fromError(filter.typeUrl() + ": " + e.getMessage());
      }
    }

    @Override
    public ConfigOrError<ParsedConfig<C>> parseFilterConfigOverride(Message raw,
        Filter.FilterConfigParseContext context) {
      try {
        return ConfigOrError.fromConfig(
            new ParsedConfig<>(filter.typeUrl(), filter.parseOverride(asAny(raw)), null));
      } catch (IllegalArgumentException e) {
        return ConfigOrError.fromError(filter.typeUrl() + " (per-route): " + e.getMessage());
      }
    }

    /** grpc-xds passes the Any itself, or a TypedStruct's Struct (which we do not accept). */
    private Any asAny(Message raw) {
      if (raw instanceof Any any) {
        return any;
      }
      throw new IllegalArgumentException("config: a " + raw.getDescriptorForType().getFullName()
          + " (expected: an Any of type " + filter.typeUrl() + ", not a TypedStruct)");
    }
  }

  private static final class FilterAdapter<C> implements Filter {
    private final GrpcClientFilter<C> filter;

    FilterAdapter(GrpcClientFilter<C> filter) {
      this.filter = filter;
    }

    @SuppressWarnings("unchecked")
    @Override
    public ClientInterceptor buildClientInterceptor(FilterConfig config,
        FilterConfig overrideConfig, ScheduledExecutorService scheduler) {
      ParsedConfig<C> top = (ParsedConfig<C>) config;
      ParsedConfig<C> override = (ParsedConfig<C>) overrideConfig;
      // the most specific config keeps the interceptor (see ParsedConfig)
      ParsedConfig<C> keeper = override != null ? override : top;
      Object builtFor = override != null ? top : null;
      ParsedConfig.Memo memo = keeper.memoized(builtFor, scheduler);
      if (memo != null) {
        return memo.interceptor();
      }
      ClientInterceptor built = override == null
          ? filter.interceptor(top.value(), null, null, scheduler)
          : filter.interceptor(top.value(), override.value(), override.methodConfig(), scheduler);
      keeper.memoize(builtFor, scheduler, built);
      return built;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Per-method service config: setting grpc's own retry policy and route timeout aside
  // ---------------------------------------------------------------------------------------------

  /**
   * grpc's {@code ManagedChannelServiceConfig.MethodInfo.KEY} (package-private in
   * io.grpc.internal): the call option through which the config selector hands a call the
   * route's retry policy and timeout, applied below the xDS filters. Null if this grpc has none.
   */
  private static final CallOptions.Key<Object> METHOD_INFO;

  /**
   * A {@code MethodInfo} without timeout, retry or hedging policy. It replaces the route's,
   * because call options cannot hold a null value ({@code withOption} refuses it).
   */
  private static final Object EMPTY_METHOD_INFO;

  /** {@code MethodInfo(Map methodConfig, boolean retryEnabled, int maxRetryAttemptsLimit, int
   * maxHedgedAttemptsLimit)}, or null if this grpc has none. */
  private static final Constructor<?> NEW_METHOD_INFO;

  static {
    CallOptions.Key<Object> key = null;
    Object empty = null;
    Constructor<?> newInfo = null;
    try {
      Class<?> c = Class.forName("io.grpc.internal.ManagedChannelServiceConfig$MethodInfo");
      Field f = c.getDeclaredField("KEY");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      CallOptions.Key<Object> k = (CallOptions.Key<Object>) f.get(null);
      Constructor<?> make = c.getDeclaredConstructor(Map.class, boolean.class, int.class,
          int.class);
      make.setAccessible(true);
      // an empty method config, retries off: every field null
      empty = make.newInstance(Map.of(), false, 0, 0);
      key = k;
      newInfo = make;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.error("grpc's MethodInfo not found ({}): calls whose retries Inboard owns will also"
          + " be retried by grpc, and bounded by the route timeout per try", e.toString());
    }
    METHOD_INFO = key;
    EMPTY_METHOD_INFO = empty;
    NEW_METHOD_INFO = newInfo;
  }

  /**
   * grpc's {@code MethodInfo} for one method config (retries enabled, with these limits), or
   * null if this grpc has no MethodInfo; then {@link InboardResolverClient} leaves routes alone.
   *
   * @throws IllegalArgumentException if grpc refuses the method config
   */
  static Object methodInfo(Map<String, ?> methodConfig, int maxAttempts, int maxHedgedAttempts) {
    if (NEW_METHOD_INFO == null) {
      return null;
    }
    try {
      return NEW_METHOD_INFO.newInstance(methodConfig, true, maxAttempts, maxHedgedAttempts);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new IllegalArgumentException("method config " + methodConfig + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("grpc's MethodInfo constructor failed", e);
    }
  }

  /** Whether grpc's MethodInfo can be built here (see {@link #methodInfo}). */
  static boolean canBuildMethodInfo() {
    return NEW_METHOD_INFO != null && METHOD_INFO != null;
  }

  /** {@code options} with grpc's per-method config {@code methodInfo} (from {@link #methodInfo}). */
  static CallOptions withMethodInfo(CallOptions options, Object methodInfo) {
    return options.withOption(METHOD_INFO, methodInfo);
  }

  /**
   * {@code options} without grpc's per-method config (route retry policy and timeout), for a
   * call whose retries and timeout the caller runs itself, so that grpc's retries do not run
   * inside each of its tries. Other call options are kept.
   */
  public static CallOptions withoutMethodConfig(CallOptions options) {
    if (METHOD_INFO == null || options.getOption(METHOD_INFO) == null) {
      return options;
    }
    return options.withOption(METHOD_INFO, EMPTY_METHOD_INFO);
  }

  // ---------------------------------------------------------------------------------------------
  // Route method configs built once per route update (see InboardResolverClient)
  // ---------------------------------------------------------------------------------------------

  /**
   * The client to hand grpc-xds's resolver ({@code XdsNameResolverProvider.XDS_CLIENT_SUPPLIER})
   * in place of {@code client}: the same client, except that routes carrying a registered
   * filter's config have their timeout and retry policy moved into that config, which the filter
   * receives as an {@link InboardRouteMethodConfig} and must apply to each call it passes on
   * ({@link GrpcClientFilter#interceptor}).
   */
  public static XdsClient resolverClient(XdsClient client) {
    return new InboardResolverClient(requireNonNull(client, "client"));
  }

  // ---------------------------------------------------------------------------------------------
  // The cluster a call was routed to
  // ---------------------------------------------------------------------------------------------

  private static final String CLUSTER_PREFIX = "cluster:";

  /**
   * The name of the cluster grpc-xds routed a call to, or null when it was not routed by
   * grpc-xds or went to a cluster specifier plugin. grpc-xds sets the package-private call option
   * {@code XdsNameResolver.CLUSTER_SELECTION_KEY} to {@code "cluster:" + name} before the route's
   * filter interceptors run.
   */
  public static String selectedCluster(CallOptions options) {
    String selection = clusterSelection(options);
    return selection != null && selection.startsWith(CLUSTER_PREFIX)
        ? selection.substring(CLUSTER_PREFIX.length()) : null;
  }

  /**
   * grpc-xds's raw selection of a call's cluster, as is (no copy: for lookups on the per-call
   * path keyed by {@link #clusterSelectionOf}), or null.
   */
  public static String clusterSelection(CallOptions options) {
    return options.getOption(XdsNameResolver.CLUSTER_SELECTION_KEY);
  }

  /** The raw selection grpc-xds gives a call routed to {@code cluster}. */
  public static String clusterSelectionOf(String cluster) {
    return CLUSTER_PREFIX + cluster;
  }
}
