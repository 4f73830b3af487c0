package io.inboard.mesh.http.internal.xds;

import io.inboard.mesh.http.internal.route.GatewayRouteTable;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.concurrent.CompletableFuture;

/**
 * A gateway's handle on one route config (RDS name) of the control plane: sends a downstream
 * request through it with the per-call path of the mesh's own clients (virtual host by
 * authority, route match, fault, header changes, mirrors, weighted cluster, retrying call,
 * response-header changes). Obtained from {@link XdsHttp#gatewayRoutes}; the route config stays
 * watched until every holder released it ({@link XdsHttp#releaseGatewayRoutes}).
 */
public final class GatewayRoutes {

  private final XdsHttp http;
  private final String name;
  private final CompletableFuture<GatewayRouteTable> ready = new CompletableFuture<>();
  private volatile GatewayRouteTable table;
  int refs; // guarded by XdsHttp's map of handles
  Runnable cancel;

  GatewayRoutes(XdsHttp http, String name) {
    this.http = http;
    this.name = name;
  }

  /** The route config's name. */
  public String name() {
    return name;
  }

  /** Whether the route config has been received. */
  public boolean received() {
    return table != null;
  }

  /**
   * Routes {@code request}, whose URI's authority is the downstream request's
   * {@code Host}/{@code :authority}, and sends it upstream. Before the route config's first
   * version it waits (without a thread) up to the mesh's {@code initialConfigTimeout}.
   *
   * <p>Local replies (Envoy's): no virtual host for the authority or no route → 404
   * ({@code x-inboard-local-reply: no_route}); a virtual host with {@code require_tls} and a
   * request that came over plaintext ({@code secure} false) → 301 with {@code location:
   * https://<authority><path>}; a fault abort → its status. A call that ends without any
   * response fails its future; see {@code InternalGatewayRouting.localReply} for the answer.
   *
   * @param secure whether the downstream connection was TLS
   */
  public <T> CompletableFuture<HttpResponse<T>> send(HttpRequest request, boolean secure,
      BodyHandler<T> handler) {
    GatewayRouteTable t = table;
    if (t != null) {
      return http.sendGateway(t, request, secure, handler);
    }
    return ready.thenCompose(r -> http.sendGateway(table, request, secure, handler));
  }

  void onRoutes(GatewayRouteTable t) {
    table = t;
    ready.complete(t);
  }

  void timedOut(Throwable error) {
    ready.completeExceptionally(error);
  }
}
