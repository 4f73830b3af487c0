package io.inboard.mesh.controlplane.internal.translate;

import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.inboard.mesh.controlplane.internal.model.RouteExtras;
import java.util.Map;

/**
 * Istio's route-level {@code headers} as Envoy route fields, as istiod writes them: {@code set}
 * overwrites ({@code OVERWRITE_IF_EXISTS_OR_ADD}), {@code add} appends
 * ({@code APPEND_IF_EXISTS_OR_ADD}), {@code remove} lists names. Inboard's HTTP client applies
 * them; grpc-xds ignores all four, so gRPC clients read them again from the route's extension
 * config ({@link GrpcRouteExtensions}).
 */
public final class RouteHeaders {

  private RouteHeaders() {}

  static void apply(Route.Builder r, RouteExtras extra) {
    RouteExtras.HeaderChanges req = extra.request();
    add(req.set(), HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD, r::addRequestHeadersToAdd);
    add(req.add(), HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD, r::addRequestHeadersToAdd);
    r.addAllRequestHeadersToRemove(req.remove());
    RouteExtras.HeaderChanges resp = extra.response();
    add(resp.set(), HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD, r::addResponseHeadersToAdd);
    add(resp.add(), HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD, r::addResponseHeadersToAdd);
    r.addAllResponseHeadersToRemove(resp.remove());
  }

  /** One destination's own header changes, on its weighted cluster. */
  static void apply(WeightedCluster.ClusterWeight.Builder cw, RouteExtras.DestinationHeaders h) {
    add(h.request().set(), HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD,
        cw::addRequestHeadersToAdd);
    add(h.request().add(), HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD, cw::addRequestHeadersToAdd);
    cw.addAllRequestHeadersToRemove(h.request().remove());
    add(h.response().set(), HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD,
        cw::addResponseHeadersToAdd);
    add(h.response().add(), HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD,
        cw::addResponseHeadersToAdd);
    cw.addAllResponseHeadersToRemove(h.response().remove());
  }

  private static void add(Map<String, String> headers, HeaderAppendAction action,
      java.util.function.Consumer<HeaderValueOption> sink) {
    headers.forEach((k, v) -> sink.accept(HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(k).setValue(v))
        .setAppendAction(action).build()));
  }
}
