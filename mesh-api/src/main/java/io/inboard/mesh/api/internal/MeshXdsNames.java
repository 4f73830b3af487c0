package io.inboard.mesh.api.internal;

/**
 * The names in the xDS Inboard's control plane serves that its data planes read, defined once
 * for both sides of the contract (the control plane writes them; mesh-grpc and mesh-http read
 * them).
 *
 * <p><b>Inbound.</b> Every workload is served a Listener named {@link #VIRTUAL_INBOUND}: one
 * FilterChain per port with its own PeerAuthentication mode ({@code filter_chain_match
 * .destination_port}), and last a default FilterChain without a match (the workload's mode).
 * Each chain's {@code metadata.filter_metadata[}{@link #METADATA_FILTER}{@code ]} holds the
 * string {@link #MTLS_MODE}; a STRICT chain also carries a DownstreamTlsContext naming the
 * certificate-provider instances {@link #IDENTITY_PROVIDER} and {@link #ROOT_PROVIDER}.
 *
 * <p><b>Outbound.</b> Every Cluster's {@code metadata.filter_metadata[}{@link
 * #METADATA_FILTER}{@code ]} holds the string {@link #TLS_MODE} and the bool {@link
 * #AUTO_MTLS}. A cluster whose endpoints are partly mesh workloads is served as two: the mTLS
 * part under the cluster's name, the plaintext part under that name plus {@link
 * #PLAINTEXT_CLUSTER_SUFFIX}, and routes split their weight between both.
 *
 * <p><b>Gateways.</b> Every workload is served a Listener named {@link #GATEWAY_LISTENERS}, an
 * index: its {@code metadata.filter_metadata[}{@link #METADATA_FILTER}{@code ]} holds the list
 * {@link #GATEWAY_LISTENER_NAMES} of the names of the workload's gateway listeners, empty unless
 * some Istio {@code Gateway}'s {@code selector} matches the workload's labels (Gateways of every
 * namespace; an empty selector matches every workload, as in Istio). Each gateway listener is
 * named as Istio names a gateway's, {@code 0.0.0.0_<port>}, with address {@code 0.0.0.0:<port>}
 * (the gateway binds its own host). All plaintext servers of a port share one FilterChain; each
 * TLS server has its own, matched by SNI ({@code filter_chain_match.server_names}: the server's
 * hosts without their {@code ns/} part, none for {@code *}), with an
 * {@code envoy.transport_sockets.tls} DownstreamTlsContext: certificate and key as
 * {@code DataSource}s ({@code filename} for the server's file paths, {@code inline_bytes} from a
 * {@code credentialName} Secret), ALPN {@code h2, http/1.1}, and for MUTUAL
 * {@code require_client_certificate} with a validation context. Every chain holds an
 * HttpConnectionManager (router filter last) whose RDS name is Istio's: {@code http.<port>} for
 * plaintext, {@code https.<port>.<server port name>.<gateway name>.<gateway namespace>} for TLS.
 * A route configuration has one VirtualHost per host the port serves (name {@code host:port},
 * domains the host and {@code host:port}), its routes translated from the VirtualServices bound
 * to the Gateway ({@code gateways}) as for mesh clients, and {@code require_tls: ALL} for an
 * {@code httpsRedirect} server. Clusters and endpoints are the mesh's
 * ({@code outbound|port|subset|fqdn}).
 *
 * <p><b>gRPC route extensions.</b> grpc-xds ignores a route's per-try timeout, header changes
 * and mirrors. Every outbound HttpConnectionManager therefore carries, before the router, the
 * optional ({@code is_optional: true}) HTTP filter {@link #GRPC_ROUTE_FILTER} with typed config
 * {@code Any{type_url: }{@link #GRPC_ROUTE_TYPE_URL}{@code , value: empty}}, which mesh-grpc
 * registers with grpc-xds. Each Route that sets any of those, or a timeout or retry policy,
 * carries in {@code typed_per_filter_config[}{@link
 * #GRPC_ROUTE_FILTER}{@code ]} an {@code envoy.config.route.v3.FilterConfig{is_optional: true,
 * config: Any{type_url: }{@link #GRPC_ROUTE_TYPE_URL}{@code , value: <bytes of an
 * envoy.config.route.v3.Route>}}}: the route itself without {@code match} and without {@code
 * typed_per_filter_config} (its {@code route} action with timeout, {@code max_stream_duration},
 * {@code retry_policy}, {@code request_mirror_policies}; its {@code request_headers_to_add/remove}
 * and {@code response_headers_to_add/remove}). When the action has {@code weighted_clusters},
 * each ClusterWeight carries the same under the same key, with the inner Route's {@code
 * weighted_clusters} reduced to that one ClusterWeight (so that the filter knows the picked
 * cluster's own header changes, which apply before the route's, as in Envoy). On a route that
 * carries this config, mesh-grpc takes the timeout and retry policy out of the route grpc-xds
 * sees and has the filter hand grpc the same per-method config, built once per route instead of
 * once per call. The filter owns unary calls' retries when the route has a per-try timeout
 * (grpc's own retry policy is set aside for them) so that each attempt is bounded by {@code
 * per_try_timeout}, and mirrors unary calls through a channel to the Listener
 * named {@link #mirrorListener} of the mirror's cluster, which the control plane serves: one
 * virtual host {@code *} with one route to that cluster.
 *
 * <p><b>gRPC cluster policy.</b> grpc-xds ejects by success rate and failure percentage only
 * (gRFC A50), and of the circuit breakers honours only {@code max_requests}. A Cluster with
 * consecutive-error ejection or with connection-pool limits on calls (requests, pending
 * requests, retries, requests per connection) carries a {@code load_balancing_policy} listing an {@code
 * xds.type.v3.TypedStruct} with type URL {@code type.googleapis.com/}{@link
 * #GRPC_OUTLIER_POLICY} (the LB policy mesh-grpc registers) and then the cluster's plain policy
 * (round robin and least request inside a {@code WrrLocality}). The TypedStruct's value is a
 * Struct:
 * <ul>
 *   <li>{@code cluster} (string, always present): the Cluster's name, by which mesh-grpc's route
 *       filter finds the limits of the cluster a call was routed to;
 *   <li>ejection (and its metrics, labelled with {@code cluster}): {@code consecutive5xx}, {@code consecutiveGatewayErrors} (numbers, 0 off; both
 *       0 when the cluster has no consecutive-error ejection), {@code intervalMs}, {@code
 *       baseEjectionTimeMs}, {@code maxEjectionTimeMs}, {@code maxEjectionPercent}, {@code
 *       minHealthPercent} (numbers);
 *   <li>connection pool (numbers, each absent when unlimited): {@code maxRequests} (calls in
 *       flight, Istio's {@code http2MaxRequests}), {@code maxPendingRequests} (calls waiting for
 *       a connection to carry their stream, {@code http1MaxPendingRequests}) and {@code
 *       maxRetries} (retries in flight). A call over the first two limits is shed at once with
 *       {@code UNAVAILABLE}, flag {@code UO}, as Envoy sheds it. The
 *       limits hold per cluster across all channels of the process, as Envoy's circuit breakers;
 *   <li>{@code maxRequestsPerConnection} (number, absent when unlimited): calls one connection
 *       carries before a fresh connection to the same endpoint replaces it;
 *   <li>{@code idleTimeoutMs} (number, absent or 0 for never): how long a connection may carry
 *       no call before it is closed (Istio's {@code http.idleTimeout});
 *   <li>{@code childPolicy}: a list of one LB config in service-config JSON form, such as {@code
 *       [{"wrr_locality_experimental": {"childPolicy": [{"round_robin": {}}]}}]} (so that
 *       ejection counts across a priority's localities while locality weights keep applying).
 * </ul>
 * Its {@code outlier_detection} keeps Envoy's consecutive fields (HTTP clients read them)
 * without A50's rules, and its {@code circuit_breakers} keep every limit (HTTP clients and plain
 * grpc-xds clients read them; the latter count {@code max_requests} only with {@code
 * lrs_server} set, which the control plane sets).
 */
public final class MeshXdsNames {

  private MeshXdsNames() {}

  /** The HTTP filter that carries a route's extensions to gRPC clients (see "gRPC route extensions"). */
  public static final String GRPC_ROUTE_FILTER = "inboard.grpc_route";

  /**
   * The type URL of {@link #GRPC_ROUTE_FILTER}'s configs: Envoy's Route, whose bytes they carry,
   * so that config dumps (proto3 JSON) show them as routes. No grpc-xds filter has that type.
   */
  public static final String GRPC_ROUTE_TYPE_URL =
      "type.googleapis.com/envoy.config.route.v3.Route";

  /**
   * The LB policy name of Inboard's gRPC cluster policy: consecutive-error ejection and
   * connection-pool limits (see "gRPC cluster policy"; the name predates the limits).
   */
  public static final String GRPC_OUTLIER_POLICY = "inboard.outlier_ejection";

  /** The prefix of the Listeners that serve mirrored gRPC calls (see {@link #mirrorListener}). */
  public static final String MIRROR_LISTENER_PREFIX = "inboard-mirror_";

  /**
   * The Listener a gRPC client sends mirrored calls of {@code cluster} to: {@link
   * #MIRROR_LISTENER_PREFIX} plus the cluster's name with {@code |} as {@code _}, a name that
   * is a valid {@code xds:///} target.
   */
  public static String mirrorListener(String cluster) {
    return MIRROR_LISTENER_PREFIX + cluster.replace('|', '_');
  }

  /** The name of the inbound Listener every workload is served, as Istio's sidecars call it. */
  public static final String VIRTUAL_INBOUND = "virtualInbound";

  /** The {@code filter_metadata} key of Inboard's own fields on chains and clusters. */
  public static final String METADATA_FILTER = "io.inboard.mesh";

  /**
   * String field of an inbound FilterChain: the effective PeerAuthentication mode of its port,
   * {@code STRICT}, {@code PERMISSIVE} or {@code DISABLE} (never {@code UNSET}: inherited modes
   * are resolved, and no policy at all is {@code PERMISSIVE}).
   */
  public static final String MTLS_MODE = "mtlsMode";

  /**
   * String field of a Cluster: how clients connect, {@code ISTIO_MUTUAL}, {@code SIMPLE},
   * {@code MUTUAL} or {@code DISABLE} (plaintext).
   */
  public static final String TLS_MODE = "tlsMode";

  /**
   * String field of a SIMPLE or MUTUAL Cluster whose {@code credentialName} could not be read
   * (Secret or keys missing): why. The cluster's UpstreamTlsContext then holds no certificates,
   * and clients fail its calls with this reason rather than connect without them.
   */
  public static final String TLS_UNAVAILABLE = "tlsUnavailable";

  /**
   * Bool field of a Cluster: true when {@link #TLS_MODE} was chosen by auto-mTLS (no
   * DestinationRule sets {@code tls}), false when a DestinationRule chose it.
   */
  public static final String AUTO_MTLS = "autoMtls";

  /**
   * The certificate-provider instance, and its certificate name, of the workload's own
   * certificate and key, as Istio's proxyless bootstrap names it.
   */
  public static final String IDENTITY_PROVIDER = "default";

  /** The certificate-provider instance, and its certificate name, of the mesh's root CAs. */
  public static final String ROOT_PROVIDER = "ROOTCA";

  /**
   * Appended to a cluster's name for the plaintext part of a cluster whose endpoints are mixed
   * (some mesh workloads, some not): {@code outbound|9080||reviews.default.svc.cluster.local
   * ~plaintext}. Kept out of the {@code |}-separated fields so that readers of the service port
   * in a cluster name still find it.
   */
  public static final String PLAINTEXT_CLUSTER_SUFFIX = "~plaintext";

  /** The name of the gateway index Listener (see the class comment). */
  public static final String GATEWAY_LISTENERS = "inboard~gateway-listeners";

  /** List field of {@link #GATEWAY_LISTENERS}: the names of the gateway's listeners. */
  public static final String GATEWAY_LISTENER_NAMES = "listeners";

  /** The endpoint label that marks a mesh workload, with value {@link #TLS_MODE_ISTIO}. */
  public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";

  /** The value of {@link #TLS_MODE_LABEL} on a mesh workload. */
  public static final String TLS_MODE_ISTIO = "istio";
}
