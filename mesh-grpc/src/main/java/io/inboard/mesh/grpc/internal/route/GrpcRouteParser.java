package io.inboard.mesh.grpc.internal.route;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.grpc.Status;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Parses the gRPC route filter's config: {@code Any{}}{@link MeshXdsNames#GRPC_ROUTE_TYPE_URL}
 * whose value is an {@code envoy.config.route.v3.Route} (see "gRPC route extensions" in {@link
 * MeshXdsNames}), into a {@link GrpcRoutePolicy}. Errors name the field, the value and what was
 * expected; grpc-xds NACKs the resource with them.
 */
final class GrpcRouteParser {

  private static final long DEFAULT_BASE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

  private GrpcRouteParser() {}

  /** The policy in {@code config}; an empty value (the listener-wide config) is {@code NONE}. */
  static GrpcRoutePolicy parse(Any config) {
    if (!config.getTypeUrl().equals(MeshXdsNames.GRPC_ROUTE_TYPE_URL)) {
      throw new IllegalArgumentException("type_url: '" + config.getTypeUrl() + "' (expected: "
          + MeshXdsNames.GRPC_ROUTE_TYPE_URL + ")");
    }
    if (config.getValue().isEmpty()) {
      return GrpcRoutePolicy.NONE;
    }
    Route route;
    try {
      route = Route.parseFrom(config.getValue());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("value: not an envoy.config.route.v3.Route ("
          + e.getMessage() + ")", e);
    }
    String at = route.getName().isEmpty() ? "route" : "route '" + route.getName() + "'";
    RouteAction action = route.getRoute();
    HeaderChanges request = HeaderChanges.NONE;
    HeaderChanges response = HeaderChanges.NONE;
    if (action.hasWeightedClusters() && action.getWeightedClusters().getClustersCount() == 1) {
      // the picked cluster's own changes apply before the route's, as in Envoy
      WeightedCluster.ClusterWeight cw = action.getWeightedClusters().getClusters(0);
      String cwAt = at + ".route.weighted_clusters.clusters[0].";
      request = HeaderChanges.of(cw.getRequestHeadersToAddList(),
          cw.getRequestHeadersToRemoveList(), cwAt + "request_headers");
      response = HeaderChanges.of(cw.getResponseHeadersToAddList(),
          cw.getResponseHeadersToRemoveList(), cwAt + "response_headers");
    }
    request = request.then(HeaderChanges.of(route.getRequestHeadersToAddList(),
        route.getRequestHeadersToRemoveList(), at + ".request_headers"));
    response = response.then(HeaderChanges.of(route.getResponseHeadersToAddList(),
        route.getResponseHeadersToRemoveList(), at + ".response_headers"));

    long timeout = action.hasMaxStreamDuration()
        && action.getMaxStreamDuration().hasMaxStreamDuration()
        ? nanos(action.getMaxStreamDuration().getMaxStreamDuration(),
            at + ".route.max_stream_duration.max_stream_duration")
        : action.hasTimeout() ? nanos(action.getTimeout(), at + ".route.timeout") : 0;
    AttemptPolicy attempts = action.hasRetryPolicy()
        ? attempts(action.getRetryPolicy(), at + ".route.retry_policy") : null;
    List<MirrorPolicy> mirrors = new ArrayList<>();
    for (int i = 0; i < action.getRequestMirrorPoliciesCount(); i++) {
      mirrors.add(mirror(action.getRequestMirrorPolicies(i),
          at + ".route.request_mirror_policies[" + i + "]"));
    }
    return new GrpcRoutePolicy(request, response, attempts, timeout, mirrors);
  }

  /** The filter's own retries, or null when the policy has no per-try timeout. */
  private static AttemptPolicy attempts(RetryPolicy p, String at) {
    long perTry = p.hasPerTryTimeout()
        ? nanos(p.getPerTryTimeout(), at + ".per_try_timeout") : 0;
    long base = DEFAULT_BASE_BACKOFF_NANOS;
    long max = 0;
    if (p.hasRetryBackOff()) {
      RetryPolicy.RetryBackOff b = p.getRetryBackOff();
      if (!b.hasBaseInterval() || nanos(b.getBaseInterval(), at + ".retry_back_off.base_interval")
          == 0) {
        throw new IllegalArgumentException(at + ".retry_back_off.base_interval: "
            + text(b.getBaseInterval()) + " (expected: > 0)");
      }
      base = nanos(b.getBaseInterval(), at + ".retry_back_off.base_interval");
      if (b.hasMaxInterval()) {
        max = nanos(b.getMaxInterval(), at + ".retry_back_off.max_interval");
        if (max < base) {
          throw new IllegalArgumentException(at + ".retry_back_off.max_interval: "
              + text(b.getMaxInterval()) + " (expected: >= base_interval "
              + text(b.getBaseInterval()) + ")");
        }
      }
    }
    if (max == 0) {
      max = base > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : base * 10;
    }
    if (perTry == 0) {
      return null;
    }
    Set<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
    boolean onPerTryTimeout = false;
    for (String token : p.getRetryOn().split(",")) {
      switch (token.trim().toLowerCase(Locale.ROOT)) {
        case "cancelled" -> codes.add(Status.Code.CANCELLED);
        case "deadline-exceeded" -> codes.add(Status.Code.DEADLINE_EXCEEDED);
        case "internal" -> codes.add(Status.Code.INTERNAL);
        case "resource-exhausted" -> codes.add(Status.Code.RESOURCE_EXHAUSTED);
        case "unavailable" -> codes.add(Status.Code.UNAVAILABLE);
        case "5xx", "gateway-error", "reset" -> onPerTryTimeout = true;
        default -> { } // HTTP-only conditions, which no gRPC status matches (as in grpc-xds)
      }
    }
    int retries = p.hasNumRetries() ? p.getNumRetries().getValue() : 1;
    int maxAttempts = retries < 0 || retries >= Integer.MAX_VALUE - 1
        ? Integer.MAX_VALUE : retries + 1;
    return new AttemptPolicy(maxAttempts, codes, onPerTryTimeout, perTry, base, max);
  }

  private static MirrorPolicy mirror(RouteAction.RequestMirrorPolicy m, String at) {
    if (!m.getClusterHeader().isEmpty()) {
      throw new IllegalArgumentException(at + ".cluster_header: '" + m.getClusterHeader()
          + "' (expected: unset; gRPC clients mirror to a named cluster only)");
    }
    if (m.getCluster().isEmpty()) {
      throw new IllegalArgumentException(at + ".cluster: '' (expected: a cluster name)");
    }
    int ppm = MirrorPolicy.MILLION;
    if (m.hasRuntimeFraction() && m.getRuntimeFraction().hasDefaultValue()) {
      FractionalPercent f = m.getRuntimeFraction().getDefaultValue();
      long scale = switch (f.getDenominator()) {
        case HUNDRED -> 10_000;
        case TEN_THOUSAND -> 100;
        case MILLION -> 1;
        default -> throw new IllegalArgumentException(at + ".runtime_fraction.default_value"
            + ".denominator: " + f.getDenominatorValue()
            + " (expected: HUNDRED, TEN_THOUSAND or MILLION)");
      };
      // Envoy treats a numerator above the denominator as 100 %
      ppm = (int) Math.min(MirrorPolicy.MILLION, Integer.toUnsignedLong(f.getNumerator()) * scale);
    }
    return new MirrorPolicy(m.getCluster(), MeshXdsNames.mirrorListener(m.getCluster()), ppm,
        !m.getDisableShadowHostSuffixAppend());
  }

  /** {@code d} in nanoseconds (saturating), refusing a negative or malformed duration. */
  static long nanos(Duration d, String field) {
    if (d.getSeconds() < 0 || d.getNanos() < 0 || d.getNanos() >= 1_000_000_000) {
      throw new IllegalArgumentException(field + ": " + text(d) + " (expected: >= 0s)");
    }
    if (d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    return d.getSeconds() * 1_000_000_000L + d.getNanos();
  }

  private static String text(Duration d) {
    if (d.getNanos() == 0) {
      return d.getSeconds() + "s";
    }
    if (d.getSeconds() == 0 || (d.getSeconds() < 0) == (d.getNanos() < 0)) {
      double s = d.getSeconds() + d.getNanos() / 1e9;
      return String.format(Locale.ROOT, "%.9f", s).replaceAll("0+$", "") + "s";
    }
    return "{seconds: " + d.getSeconds() + ", nanos: " + d.getNanos() + "}";
  }
}
