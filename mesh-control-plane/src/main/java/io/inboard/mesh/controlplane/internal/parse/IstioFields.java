package io.inboard.mesh.controlplane.internal.parse;

import java.util.Map;
import java.util.Set;

/**
 * The fields of one Istio message type: those Inboard reads, and those Istio defines but Inboard
 * does not honour, each with why. {@link #check} warns about every field of a mapping that is
 * not read: with its reason when Istio defines it, or as not an Istio field (likely a typo)
 * otherwise. So nothing a resource sets is dropped without a word.
 *
 * @param type the Istio message name, for messages ({@code HTTPRoute})
 * @param read the fields the parser reads (some of which it may still warn about itself, by
 *     value)
 * @param unhonoured Istio fields that are not honoured, each with why
 */
public record IstioFields(String type, Set<String> read, Map<String, String> unhonoured) {

  private static final String BROADER = "; this condition is ignored, so the match takes more"
      + " calls than written";

  static final IstioFields VIRTUAL_SERVICE = new IstioFields("VirtualService",
      Set.of("hosts", "gateways", "http", "exportTo"), Map.of(
          "tcp", "not served: TCP routes are not sent to clients; mesh clients use the http"
              + " routes",
          "tls", "not served: TLS (SNI) routes are not sent to clients; mesh clients use the http"
              + " routes"));

  static final IstioFields HTTP_ROUTE = new IstioFields("HTTPRoute",
      Set.of("name", "match", "route", "timeout", "retries", "fault", "mirror", "mirrors",
          "mirrorPercentage", "mirrorPercent", "mirror_percent", "headers"), Map.ofEntries(
          Map.entry("rewrite", "not honoured: gRPC clients do not rewrite the path or authority;"
              + " calls keep their own"),
          Map.entry("redirect", "not honoured: gRPC clients do not follow redirects; this route"
              + " is left out, so matching calls fall through to the next route"),
          Map.entry("directResponse", "not honoured: gRPC clients cannot answer calls"
              + " themselves; this route is left out, so matching calls fall through to the next"
              + " route"),
          Map.entry("delegate", "not served: delegate VirtualServices apply to gateways only;"
              + " this route is left out, so matching calls fall through to the next route"),
          Map.entry("corsPolicy", "not honoured: CORS is enforced by browsers through a proxy;"
              + " mesh clients send no preflight requests")));

  static final IstioFields MIRROR_POLICY = new IstioFields("HTTPMirrorPolicy",
      Set.of("destination", "percentage"), Map.of());

  static final IstioFields HEADERS = new IstioFields("Headers",
      Set.of("request", "response"), Map.of());

  static final IstioFields HEADER_OPERATIONS = new IstioFields("Headers.HeaderOperations",
      Set.of("set", "add", "remove"), Map.of());

  static final IstioFields HTTP_MATCH = new IstioFields("HTTPMatchRequest",
      Set.of("name", "uri", "method", "headers", "queryParams", "sourceLabels", "gateways"),
      Map.of(
          "scheme", "not honoured" + BROADER,
          "authority", "not honoured: each service port has its own routes, so the authority is"
              + " already the host" + BROADER,
          "port", "not honoured: each service port has its own routes" + BROADER,
          "ignoreUriCase", "not honoured: uri is matched case-sensitively",
          "withoutHeaders", "not honoured" + BROADER,
          "sourceNamespace", "not honoured yet: routes are served per caller label set, not"
              + " per namespace" + BROADER,
          "statPrefix", "not honoured: Inboard's metrics carry no per-match prefix"));

  static final IstioFields ROUTE_DESTINATION = new IstioFields("HTTPRouteDestination",
      Set.of("destination", "weight", "headers"), Map.of());

  static final IstioFields DESTINATION = new IstioFields("Destination",
      Set.of("host", "subset", "port"), Map.of());

  static final IstioFields RETRY = new IstioFields("HTTPRetry",
      Set.of("attempts", "perTryTimeout", "retryOn"), Map.of(
          "retryRemoteLocalities", "not honoured: gRPC clients do not retry by locality",
          "retryIgnorePreviousHosts", "not honoured: a retry may go to the endpoint that failed",
          "backoff", "not honoured yet: gRPC clients use their default backoff (25 ms base,"
              + " 250 ms max)"));

  static final IstioFields FAULT = new IstioFields("HTTPFaultInjection",
      Set.of("delay", "abort"), Map.of());

  static final IstioFields DELAY = new IstioFields("HTTPFaultInjection.Delay",
      Set.of("fixedDelay", "percentage", "percent"), Map.of(
          "exponentialDelay", "not honoured: Istio does not support it either; only fixedDelay"
              + " applies"));

  static final IstioFields ABORT = new IstioFields("HTTPFaultInjection.Abort",
      Set.of("httpStatus", "grpcStatus", "percentage", "percent"), Map.of(
          "http2Error", "not honoured: Istio does not support it either; use grpcStatus"));

  static final IstioFields GATEWAY = new IstioFields("Gateway", Set.of("selector", "servers"),
      Map.of());

  static final IstioFields SERVER = new IstioFields("Server",
      Set.of("port", "hosts", "tls", "name"), Map.of(
          "bind", "not honoured: the gateway listens on every address (0.0.0.0)",
          "defaultEndpoint", "not honoured: it applies to sidecar ingress, not to gateways"));

  static final IstioFields SERVER_PORT = new IstioFields("Port",
      Set.of("number", "name", "protocol"), Map.of(
          "targetPort", "not honoured: Istio gives it no meaning on Gateways either"));

  static final IstioFields SERVER_TLS = new IstioFields("ServerTLSSettings",
      Set.of("httpsRedirect", "mode", "credentialName", "serverCertificate", "privateKey",
          "caCertificates", "subjectAltNames", "minProtocolVersion", "maxProtocolVersion",
          "cipherSuites"), Map.of(
          "verifyCertificateSpki", "not honoured: client certificates are checked against"
              + " the CA and subjectAltNames only",
          "verifyCertificateHash", "not honoured: client certificates are checked against"
              + " the CA and subjectAltNames only",
          "caCrl", "not honoured: client certificates are not checked against a revocation"
              + " list",
          "credentialNames", "not honoured: use credentialName (one certificate per server)",
          "tlsCertificates", "not honoured: use serverCertificate and privateKey (one"
              + " certificate per server)",
          "caCertCredentialName", "not honoured: put the CA in the credentialName Secret"
              + " (ca.crt) or in <credentialName>-cacert"));

  static final IstioFields DESTINATION_RULE = new IstioFields("DestinationRule",
      Set.of("host", "trafficPolicy", "subsets", "exportTo"), Map.of(
          "workloadSelector", "not honoured: the rule applies to the calls of every workload"));

  static final IstioFields SUBSET = new IstioFields("Subset",
      Set.of("name", "labels", "trafficPolicy"), Map.of());

  static final IstioFields TRAFFIC_POLICY = new IstioFields("TrafficPolicy",
      Set.of("loadBalancer", "connectionPool", "outlierDetection", "tls", "portLevelSettings"),
      Map.of(
          "tunnel", "not honoured: mesh clients do not tunnel connections",
          "proxyProtocol", "not honoured: clients send no PROXY protocol header",
          "retryBudget", "not honoured: gRPC clients bound retries by their own"
              + " retry throttling only"));

  static final IstioFields PORT_TRAFFIC_POLICY = new IstioFields(
      "TrafficPolicy.PortTrafficPolicy", Set.of("port", "tls"), Map.of(
          "loadBalancer", "not served yet: only tls is served per port; the host-level"
              + " loadBalancer applies to every port",
          "connectionPool", "not served yet: only tls is served per port; the host-level"
              + " connectionPool applies to every port",
          "outlierDetection", "not served yet: only tls is served per port; the host-level"
              + " outlierDetection applies to every port"));

  static final IstioFields PORT_SELECTOR = new IstioFields("PortSelector", Set.of("number"),
      Map.of());

  static final IstioFields CLIENT_TLS = new IstioFields("ClientTLSSettings",
      Set.of("mode", "clientCertificate", "privateKey", "caCertificates", "credentialName",
          "subjectAltNames", "sni", "insecureSkipVerify"), Map.of(
          "caCrl", "not honoured: certificates are not checked against a revocation list"));

  static final IstioFields LOAD_BALANCER = new IstioFields("LoadBalancerSettings",
      Set.of("simple", "consistentHash"), Map.of(
          "localityLbSetting", "not honoured: its distribute and failover rules are not applied;"
              + " gRPC clients spread calls over every locality by weight, and HTTP clients keep"
              + " calls in their own zone while it has a healthy endpoint, then use any other",
          "warmupDurationSecs", "not honoured: a new endpoint gets its full share at once",
          "warmup", "not honoured: a new endpoint gets its full share at once"));

  static final IstioFields CONSISTENT_HASH = new IstioFields("ConsistentHashLB",
      Set.of("httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName",
          "ringHash", "minimumRingSize"), Map.of(
          "maglev", "not honoured: gRPC clients have no Maglev; they use a ring hash"));

  static final IstioFields CONNECTION_POOL = new IstioFields("ConnectionPoolSettings",
      Set.of("tcp", "http"), Map.of());

  static final IstioFields TCP_SETTINGS = new IstioFields("ConnectionPoolSettings.TCPSettings",
      Set.of("maxConnections", "connectTimeout"), Map.of(
          "tcpKeepalive", "not honoured: gRPC clients use their own HTTP/2 keepalive",
          "maxConnectionDuration", "not honoured: connections are not closed by age",
          "idleTimeout", "not honoured: it applies to TCP proxying, which Inboard does not do;"
              + " http.idleTimeout closes idle HTTP and gRPC connections"));

  static final IstioFields HTTP_SETTINGS = new IstioFields("ConnectionPoolSettings.HTTPSettings",
      Set.of("http1MaxPendingRequests", "http2MaxRequests", "maxRetries",
          "maxRequestsPerConnection", "idleTimeout"), Map.of(
          "h2UpgradePolicy", "not honoured: gRPC always uses HTTP/2",
          "useClientProtocol", "not honoured: gRPC always uses HTTP/2",
          "maxConcurrentStreams", "not honoured: the server's HTTP/2 SETTINGS bound streams per"
              + " connection"));

  static final IstioFields OUTLIER_DETECTION = new IstioFields("OutlierDetection",
      Set.of("consecutive5xxErrors", "consecutiveErrors", "consecutiveGatewayErrors", "interval",
          "baseEjectionTime", "maxEjectionPercent", "minHealthPercent"), Map.of(
          "splitExternalLocalOriginErrors", "not honoured: local-origin errors (connect"
              + " failures, timeouts) are not counted apart",
          "consecutiveLocalOriginFailures", "not honoured: local-origin errors are not counted"
              + " apart"));

  public IstioFields {
    read = Set.copyOf(read);
    unhonoured = Map.copyOf(unhonoured);
  }

  /**
   * Warns about an {@code exportTo} that limits visibility: every workload is served every
   * resource, so only the default ({@code "*"}, or absent) is honoured.
   */
  static void checkExportTo(Node exportTo, Warnings warnings) {
    if (exportTo.present()
        && exportTo.list().stream().noneMatch(n -> n.optString().orElse("").equals("*"))) {
      warnings.add(exportTo.path(), "not honoured: every workload is served every resource,"
          + " whatever its namespace");
    }
  }

  /** Warns about every field of the mapping {@code n} that is not {@link #read}. */
  void check(Node n, Warnings warnings) {
    for (String key : n.keys()) {
      if (read.contains(key)) {
        continue;
      }
      String why = unhonoured.get(key);
      warnings.add(n.get(key).path(), why != null ? why
          : "not a field of Istio's " + type + " that Inboard knows (a typo?); ignored");
    }
  }
}
