package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Makes routes whose every cluster has no endpoints fail calls at once with UNAVAILABLE.
 *
 * <p>Why: grpc-xds (1.85) keeps the endpoints it had when an EDS update lists none, so after a
 * service scales to zero its clients keep calling the gone workloads (until they refuse or time
 * out). The ClusterLoadAssignment is still sent empty, for clients that honour it; this aborts
 * such routes through the fault filter, which every Inboard listener carries, with gRPC status
 * UNAVAILABLE (14). The route keeps naming its clusters, so clients stay subscribed to their
 * EDS and resume as soon as an endpoint returns.
 */
public final class EmptyServiceRoutes {
  private static final int UNAVAILABLE = 14;

  private EmptyServiceRoutes() {}

  /** {@code routes}, each aborted when every cluster it sends to is {@code empty}. */
  static List<Route> abortWhereEmpty(List<Route> routes, Predicate<String> empty) {
    return routes.stream().map(r -> allEmpty(r, empty) ? abort(r) : r).toList();
  }

  private static boolean allEmpty(Route r, Predicate<String> empty) {
    if (!r.hasRoute()) {
      return false;
    }
    RouteAction a = r.getRoute();
    if (a.hasWeightedClusters()) {
      return a.getWeightedClusters().getClustersList().stream()
          .map(WeightedCluster.ClusterWeight::getName).allMatch(empty);
    }
    return !a.getCluster().isEmpty() && empty.test(a.getCluster());
  }

  private static Route abort(Route r) {
    HTTPFault.Builder fault = HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder()
        .setGrpcStatus(UNAVAILABLE).setPercentage(FractionalPercent.newBuilder()
            .setNumerator(100).setDenominator(FractionalPercent.DenominatorType.HUNDRED)));
    // a delay the VirtualService asked for still applies before the call fails
    fault(r).filter(HTTPFault::hasDelay).map(HTTPFault::getDelay).ifPresent(fault::setDelay);
    return r.toBuilder().putTypedPerFilterConfig(RouteTranslator.FAULT_FILTER,
        Any.pack(fault.build())).build();
  }

  private static Optional<HTTPFault> fault(Route r) {
    Any any = r.getTypedPerFilterConfigMap().get(RouteTranslator.FAULT_FILTER);
    try {
      return any == null ? Optional.empty() : Optional.of(any.unpack(HTTPFault.class));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }
}
