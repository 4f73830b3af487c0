package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayTranslationTest {
  static final Path BOOKINFO_GATEWAY =
      Path.of("/work/shared/istio-samples/bookinfo/networking/bookinfo-gateway.yaml");
  static final Map<String, String> INGRESS = Map.of("istio", "ingressgateway",
      "app", "istio-ingressgateway");
  static final String PRODUCTPAGE = "productpage.default.svc.cluster.local";
  static final String HTTPBIN = "httpbin.default.svc.cluster.local";
  static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
  static final String CA = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";

  private final ResourceParser parser = new ResourceParser("default", "cluster.local");
  private final List<ServiceEndpoint> endpoints = new ArrayList<>(List.of(
      new ServiceEndpoint(PRODUCTPAGE, 9080, "127.0.0.2", Map.of("app", "productpage")),
      new ServiceEndpoint(HTTPBIN, 8000, "127.0.0.3", 8080, Map.of("app", "httpbin"), "")));

  private XdsResources translate(String yaml, String namespace, Map<String, String> labels) {
    ResourceParser.Result parsed = parser.parse("t", yaml);
    assertThat(parsed.hasErrors()).as(parsed.diagnostics().toString()).isFalse();
    return new XdsTranslator().prepare(new MeshConfig(parsed.resources(), endpoints))
        .forWorkload(namespace, labels);
  }

  private XdsResources gateway(String yaml) {
    return translate(yaml, "istio-system", INGRESS);
  }

  static List<String> index(XdsResources x) {
    Listener index = listener(x, MeshXdsNames.GATEWAY_LISTENERS);
    return index.getMetadata().getFilterMetadataOrThrow(MeshXdsNames.METADATA_FILTER)
        .getFieldsOrThrow(MeshXdsNames.GATEWAY_LISTENER_NAMES).getListValue().getValuesList()
        .stream().map(Value::getStringValue).toList();
  }

  static Listener listener(XdsResources x, String name) {
    return x.listeners().stream().filter(l -> l.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no listener " + name + " in "
            + x.listeners().stream().map(Listener::getName).toList()));
  }

  static RouteConfiguration routes(XdsResources x, String name) {
    return x.routes().stream().filter(r -> r.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no route configuration " + name + " in "
            + x.routes().stream().map(RouteConfiguration::getName).toList()));
  }

  static String rds(FilterChain chain) throws InvalidProtocolBufferException {
    return chain.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class).getRds()
        .getRouteConfigName();
  }

  static DownstreamTlsContext tls(FilterChain chain) throws InvalidProtocolBufferException {
    return chain.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
  }

  /** Each route as {@code path:/x -> cluster} or {@code prefix:/x -> cluster}. */
  static List<String> describe(VirtualHost vh) {
    return vh.getRoutesList().stream().map(GatewayTranslationTest::describe).toList();
  }

  static String describe(Route r) {
    String match = r.getMatch().hasPath() ? "path:" + r.getMatch().getPath()
        : "prefix:" + r.getMatch().getPrefix();
    return match + " -> " + r.getRoute().getCluster();
  }

  static String secret(String namespace, String name, String... keys) {
    StringBuilder data = new StringBuilder();
    for (String k : keys) {
      String pem = k.contains("ca") ? CA : k.contains("key") ? KEY : CERT;
      data.append("\n    ").append(k).append(": |\n").append(pem.indent(6).stripTrailing());
    }
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: %s}
        stringData:""".formatted(name, namespace) + data + "\n";
  }

  @Test
  void servesIstiosBookinfoGatewayFileUnchanged() throws Exception {
    XdsResources x = gateway(Files.readString(BOOKINFO_GATEWAY));

    assertThat(index(x)).containsExactly("0.0.0.0_80");
    Listener l = listener(x, "0.0.0.0_80");
    assertThat(l.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
    assertThat(l.getAddress().getSocketAddress().getPortValue()).isEqualTo(80);
    assertThat(l.getFilterChainsList()).singleElement().satisfies(c -> {
      assertThat(c.hasTransportSocket()).isFalse();
      assertThat(rds(c)).isEqualTo("http.80");
    });
    VirtualHost vh = routes(x, "http.80").getVirtualHosts(0);
    assertThat(routes(x, "http.80").getVirtualHostsList()).hasSize(1);
    assertThat(vh.getName()).isEqualTo("*:80");
    assertThat(vh.getDomainsList()).containsExactly("*");
    String cluster = "outbound|9080||" + PRODUCTPAGE;
    assertThat(describe(vh)).containsExactly("path:/productpage -> " + cluster,
        "prefix:/static -> " + cluster, "path:/login -> " + cluster,
        "path:/logout -> " + cluster, "prefix:/api/v1/products -> " + cluster);
    // the clusters the routes name are in the same snapshot
    assertThat(x.clusters()).anyMatch(c -> c.getName().equals(cluster));
  }

  @Test
  void servesTodaysBookinfoGatewayOnPort8080() throws Exception {
    XdsResources x = gateway(Files.readString(BOOKINFO_GATEWAY)
        .replace("number: 80\n", "number: 8080\n"));

    assertThat(index(x)).containsExactly("0.0.0.0_8080");
    assertThat(rds(listener(x, "0.0.0.0_8080").getFilterChains(0))).isEqualTo("http.8080");
    assertThat(describe(routes(x, "http.8080").getVirtualHosts(0))).hasSize(5)
        .first().isEqualTo("path:/productpage -> outbound|9080||" + PRODUCTPAGE);
  }

  @Test
  void aVirtualServiceBoundToAGatewayOnlyDoesNotReachMeshClients() throws Exception {
    String yaml = Files.readString(BOOKINFO_GATEWAY);

    XdsResources mesh = translate(yaml, "default", Map.of("app", "reviews"));

    RouteConfiguration productpage = routes(mesh, PRODUCTPAGE + ":9080");
    assertThat(describe(productpage.getVirtualHosts(0)))
        .containsExactly("prefix: -> outbound|9080||" + PRODUCTPAGE);
    // a workload no Gateway selects is told it has no gateway listeners
    assertThat(index(mesh)).isEmpty();
    assertThat(mesh.routes()).noneMatch(r -> r.getName().startsWith("http."));
  }

  @Test
  void servesAHostSpecificGatewayWithItsPathsOnlyForThatHost() throws Exception {
    XdsResources x = gateway("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: httpbin-gateway}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: [httpbin.example.com]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: httpbin}
        spec:
          hosts: [httpbin.example.com]
          gateways: [httpbin-gateway]
          http:
          - match: [{uri: {prefix: /status}}, {uri: {prefix: /delay}}]
            route: [{destination: {host: httpbin, port: {number: 8000}}}]
        """);

    RouteConfiguration rc = routes(x, "http.80");
    assertThat(rc.getVirtualHostsList()).singleElement().satisfies(vh -> {
      assertThat(vh.getName()).isEqualTo("httpbin.example.com:80");
      assertThat(vh.getDomainsList()).containsExactly("httpbin.example.com",
          "httpbin.example.com:80");
      assertThat(describe(vh)).containsExactly("prefix:/status -> outbound|8000||" + HTTPBIN,
          "prefix:/delay -> outbound|8000||" + HTTPBIN);
    });
    assertThat(rc.getIgnorePortInHostMatching()).isTrue();
  }

  @Test
  void aServerHostWithNoBoundRouteGetsNoVirtualHost() {
    XdsResources x = gateway("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: [a.example.com, b.example.com]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a}
        spec:
          hosts: [a.example.com, c.example.com]
          gateways: [gw]
          http: [{route: [{destination: {host: httpbin}}]}]
        """);

    assertThat(routes(x, "http.80").getVirtualHostsList()).extracting(VirtualHost::getName)
        .containsExactly("a.example.com:80");
  }

  @Test
  void intersectsWildcardsBothWaysTakingTheMoreSpecificHost() {
    XdsResources x = gateway("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*.example.com", api.shop.io]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a}
        spec:
          hosts: [www.example.com, "*.shop.io", other.org]
          gateways: [gw]
          http: [{route: [{destination: {host: httpbin}}]}]
        """);

    assertThat(routes(x, "http.80").getVirtualHostsList()).extracting(VirtualHost::getName)
        .containsExactly("api.shop.io:80", "www.example.com:80");
  }

  @Test
  void aServerHostsNamespacePartAdmitsVirtualServicesOfThatNamespaceOnly() {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["prod/*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: dev, namespace: dev}
        spec:
          hosts: [dev.example.com]
          gateways: [istio-system/gw]
          http: [{route: [{destination: {host: httpbin.default.svc.cluster.local}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: prod, namespace: prod}
        spec:
          hosts: [prod.example.com]
          gateways: [istio-system/gw]
          http: [{route: [{destination: {host: httpbin.default.svc.cluster.local}}]}]
        """;

    assertThat(routes(gateway(yaml), "http.80").getVirtualHostsList())
        .extracting(VirtualHost::getName).containsExactly("prod.example.com:80");
  }

  @Test
  void aVirtualServiceBoundToTwoGatewaysAndMeshRoutesAtEachWithPerMatchGateways()
      throws Exception {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: internal}
        spec:
          selector: {istio: internalgateway}
          servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: httpbin}
        spec:
          hosts: [httpbin]
          gateways: [public, internal, mesh]
          http:
          - match: [{uri: {prefix: /admin}, gateways: [internal]}]
            route: [{destination: {host: httpbin}}]
          - match: [{uri: {prefix: /mesh-only}, gateways: [mesh]}]
            route: [{destination: {host: httpbin}}]
          - route: [{destination: {host: httpbin}}]
        """;
    String cluster = " -> outbound|8000||" + HTTPBIN;

    XdsResources publicGw = gateway(yaml);
    XdsResources internalGw = translate(yaml, "istio-system", Map.of("istio",
        "internalgateway"));
    XdsResources mesh = translate(yaml, "default", Map.of());

    assertThat(index(publicGw)).containsExactly("0.0.0.0_80");
    assertThat(describe(routes(publicGw, "http.80").getVirtualHosts(0)))
        .containsExactly("prefix:" + cluster);
    assertThat(routes(publicGw, "http.80").getVirtualHosts(0).getName())
        .isEqualTo(HTTPBIN + ":80");
    assertThat(index(internalGw)).containsExactly("0.0.0.0_8080");
    assertThat(describe(routes(internalGw, "http.8080").getVirtualHosts(0)))
        .containsExactly("prefix:/admin" + cluster, "prefix:" + cluster);
    assertThat(describe(routes(mesh, HTTPBIN + ":8000").getVirtualHosts(0)))
        .containsExactly("prefix:/mesh-only" + cluster, "prefix:" + cluster);
  }

  @Test
  void terminatesSimpleTlsWithTheCredentialNameSecretOfTheGatewaysNamespace()
      throws Exception {
    XdsResources x = gateway(secret("istio-system", "httpbin-credential", "tls.crt", "tls.key")
        + "---\n" + """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: mygateway}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [httpbin.example.com]
            tls: {mode: SIMPLE, credentialName: httpbin-credential}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: httpbin}
        spec:
          hosts: [httpbin.example.com]
          gateways: [mygateway]
          http: [{route: [{destination: {host: httpbin}}]}]
        """);

    assertThat(index(x)).containsExactly("0.0.0.0_443");
    FilterChain chain = listener(x, "0.0.0.0_443").getFilterChains(0);
    assertThat(chain.getFilterChainMatch().getServerNamesList())
        .containsExactly("httpbin.example.com");
    assertThat(rds(chain)).isEqualTo("https.443.https.mygateway.default");
    DownstreamTlsContext tls = tls(chain);
    assertThat(tls.getRequireClientCertificate().getValue()).isFalse();
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2",
        "http/1.1");
    assertThat(tls.getCommonTlsContext().getTlsCertificates(0).getCertificateChain()
        .getInlineBytes().toStringUtf8()).isEqualTo(CERT);
    assertThat(tls.getCommonTlsContext().getTlsCertificates(0).getPrivateKey()
        .getInlineBytes().toStringUtf8()).isEqualTo(KEY);
    assertThat(tls.getCommonTlsContext().hasValidationContext()).isFalse();
    assertThat(routes(x, "https.443.https.mygateway.default").getVirtualHosts(0).getName())
        .isEqualTo("httpbin.example.com:443");
  }

  @Test
  void aMissingSecretLeavesOutOnlyThatServersChain() throws Exception {
    XdsResources x = gateway(secret("istio-system", "a-cred", "cert", "key") + "---\n" + """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: a, protocol: HTTPS}
            hosts: [a.example.com]
            tls: {mode: SIMPLE, credentialName: a-cred}
          - port: {number: 443, name: b, protocol: HTTPS}
            hosts: [b.example.com]
            tls: {mode: SIMPLE, credentialName: b-cred}
          - port: {number: 8443, name: c, protocol: HTTPS}
            hosts: [c.example.com]
            tls: {mode: SIMPLE, credentialName: c-cred}
        """);

    assertThat(index(x)).containsExactly("0.0.0.0_443");
    assertThat(listener(x, "0.0.0.0_443").getFilterChainsList()).singleElement()
        .satisfies(c -> assertThat(c.getFilterChainMatch().getServerNamesList())
            .containsExactly("a.example.com"));
  }

  @Test
  void terminatesSimpleTlsWithFilesOnTheGatewayAndMapsVersionsAndCiphers() throws Exception {
    XdsResources x = gateway("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: ["*"]
            tls:
              mode: SIMPLE
              serverCertificate: /etc/istio/ingressgateway-certs/tls.crt
              privateKey: /etc/istio/ingressgateway-certs/tls.key
              minProtocolVersion: TLSV1_2
              maxProtocolVersion: TLSV1_3
              cipherSuites: [ECDHE-ECDSA-AES256-GCM-SHA384]
        """);

    FilterChain chain = listener(x, "0.0.0.0_443").getFilterChains(0);
    assertThat(chain.getFilterChainMatch().getServerNamesList()).isEmpty();
    var common = tls(chain).getCommonTlsContext();
    assertThat(common.getTlsCertificates(0).getCertificateChain()).isEqualTo(DataSource
        .newBuilder().setFilename("/etc/istio/ingressgateway-certs/tls.crt").build());
    assertThat(common.getTlsCertificates(0).getPrivateKey().getFilename())
        .isEqualTo("/etc/istio/ingressgateway-certs/tls.key");
    assertThat(common.getTlsParams().getTlsMinimumProtocolVersion())
        .isEqualTo(TlsParameters.TlsProtocol.TLSv1_2);
    assertThat(common.getTlsParams().getTlsMaximumProtocolVersion())
        .isEqualTo(TlsParameters.TlsProtocol.TLSv1_3);
    assertThat(common.getTlsParams().getCipherSuitesList())
        .containsExactly("ECDHE-ECDSA-AES256-GCM-SHA384");
  }

  @Test
  void mutualTlsRequiresClientCertificatesCheckedAgainstTheCa() throws Exception {
    XdsResources x = gateway(secret("istio-system", "s-cred", "tls.crt", "tls.key")
        + "---\n" + secret("istio-system", "s-cred-cacert", "ca.crt") + "---\n" + """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: secret, protocol: HTTPS}
            hosts: [s.example.com]
            tls: {mode: MUTUAL, credentialName: s-cred}
          - port: {number: 443, name: files, protocol: HTTPS}
            hosts: [f.example.com]
            tls: {mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem,
                  caCertificates: /ca.pem, subjectAltNames: [client.example.com]}
        """);

    List<FilterChain> chains = listener(x, "0.0.0.0_443").getFilterChainsList();
    assertThat(chains).extracting(GatewayTranslationTest::rds).containsExactly(
        "https.443.secret.gw.default", "https.443.files.gw.default");
    DownstreamTlsContext fromSecret = tls(chains.get(0));
    assertThat(fromSecret.getRequireClientCertificate().getValue()).isTrue();
    assertThat(fromSecret.getCommonTlsContext().getValidationContext().getTrustedCa()
        .getInlineBytes().toStringUtf8()).isEqualTo(CA);
    DownstreamTlsContext fromFiles = tls(chains.get(1));
    assertThat(fromFiles.getRequireClientCertificate().getValue()).isTrue();
    assertThat(fromFiles.getCommonTlsContext().getValidationContext().getTrustedCa()
        .getFilename()).isEqualTo("/ca.pem");
    assertThat(fromFiles.getCommonTlsContext().getValidationContext()
        .getMatchSubjectAltNames(0).getExact()).isEqualTo("client.example.com");
  }

  @Test
  void httpsRedirectServersRequireTlsEvenWithoutARoute() {
    String gw = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: [a.example.com, b.example.com]
            tls: {httpsRedirect: true}
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [a.example.com, b.example.com]
            tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}
        """;
    XdsResources x = gateway(gw + "---\n" + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a}
        spec:
          hosts: [a.example.com]
          gateways: [gw]
          http: [{route: [{destination: {host: httpbin}}]}]
        """);

    assertThat(index(x)).containsExactly("0.0.0.0_80", "0.0.0.0_443");
    List<VirtualHost> plain = routes(x, "http.80").getVirtualHostsList();
    assertThat(plain).extracting(VirtualHost::getName).containsExactly("a.example.com:80",
        "b.example.com:80");
    assertThat(plain).allMatch(vh -> vh.getRequireTls() == VirtualHost.TlsRequirementType.ALL);
    assertThat(plain.get(0).getRoutesCount()).isEqualTo(1);
    assertThat(plain.get(1).getRoutesCount()).isZero();
    VirtualHost secure = routes(x, "https.443.https.gw.default").getVirtualHosts(0);
    assertThat(secure.getName()).isEqualTo("a.example.com:443");
    assertThat(secure.getRequireTls()).isEqualTo(VirtualHost.TlsRequirementType.NONE);
  }

  @Test
  void routesCarryTheMeshTranslationsRetriesTimeoutsFaultsAndMirrors() {
    XdsResources x = gateway("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - timeout: 3s
            retries: {attempts: 2, retryOn: 5xx}
            fault: {abort: {httpStatus: 503, percentage: {value: 10}}}
            mirror: {host: httpbin}
            headers: {request: {set: {x-from: gateway}}}
            route:
            - {destination: {host: productpage}, weight: 80}
            - {destination: {host: httpbin}, weight: 20}
        """);

    Route r = routes(x, "http.80").getVirtualHosts(0).getRoutes(0);
    assertThat(r.getRoute().getTimeout().getSeconds()).isEqualTo(3);
    assertThat(r.getRoute().getRetryPolicy().getNumRetries().getValue()).isEqualTo(2);
    assertThat(r.getTypedPerFilterConfigMap()).containsKey("envoy.filters.http.fault");
    assertThat(r.getRoute().getRequestMirrorPolicies(0).getCluster())
        .isEqualTo("outbound|8000||" + HTTPBIN);
    assertThat(r.getRequestHeadersToAddList()).anyMatch(h -> h.getHeader().getKey()
        .equals("x-from"));
    assertThat(r.getRoute().getWeightedClusters().getClustersList())
        .extracting(c -> c.getName() + "=" + c.getWeight().getValue())
        .containsExactly("outbound|9080||" + PRODUCTPAGE + "=80",
            "outbound|8000||" + HTTPBIN + "=20");
  }

  @Test
  void mergesVirtualServicesForOneHostWithCatchAllRoutesLast() {
    XdsResources x = gateway("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a}
        spec:
          hosts: [shop.example.com]
          gateways: [gw]
          http: [{route: [{destination: {host: productpage}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: b}
        spec:
          hosts: [shop.example.com]
          gateways: [gw]
          http: [{match: [{uri: {prefix: /status}}], route: [{destination: {host: httpbin}}]}]
        """);

    assertThat(describe(routes(x, "http.80").getVirtualHosts(0))).containsExactly(
        "prefix:/status -> outbound|8000||" + HTTPBIN, "prefix: -> outbound|9080||"
            + PRODUCTPAGE);
  }

  @Test
  void aServerPortThatIsAServicePortOfTheGatewayListensOnItsTargetPort() throws Exception {
    endpoints.add(new ServiceEndpoint("istio-ingressgateway.istio-system.svc.cluster.local", 80,
        "127.0.0.9", 8080, INGRESS, ""));

    XdsResources x = gateway(Files.readString(BOOKINFO_GATEWAY));

    assertThat(index(x)).containsExactly("0.0.0.0_8080");
    assertThat(rds(listener(x, "0.0.0.0_8080").getFilterChains(0))).isEqualTo("http.8080");
    assertThat(routes(x, "http.8080").getVirtualHosts(0).getRoutesCount()).isEqualTo(5);
  }

  @Test
  void plaintextAndTlsServersOfTwoGatewaysOnOnePortKeepTheFirst() {
    XdsResources x = gateway("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: a}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 8000, name: http, protocol: HTTP}, hosts: [a.example.com]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: b}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 8000, name: https, protocol: HTTPS}
            hosts: [b.example.com]
            tls: {mode: SIMPLE, serverCertificate: /c, privateKey: /k}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: c}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 8000, name: grpc, protocol: GRPC}, hosts: [c.example.com]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: c}
        spec:
          hosts: [c.example.com]
          gateways: [c]
          http: [{route: [{destination: {host: httpbin}}]}]
        """);

    assertThat(listener(x, "0.0.0.0_8000").getFilterChainsList()).singleElement()
        .satisfies(c -> assertThat(c.hasTransportSocket()).isFalse());
    // plaintext servers of several Gateways on one port share one RouteConfiguration
    assertThat(routes(x, "http.8000").getVirtualHostsList()).extracting(VirtualHost::getName)
        .containsExactly("c.example.com:8000");
  }

  @Test
  void tellsGatewayResourceNamesFromMeshOnes() {
    assertThat(List.of("0.0.0.0_8080", "http.80", "https.443.https.gw.default"))
        .allMatch(XdsNames::isGatewayResource);
    assertThat(List.of("http.default.svc.cluster.local:80", "virtualInbound",
        MeshXdsNames.GATEWAY_LISTENERS, "https.default.svc.cluster.local:443",
        "outbound|80||http.default.svc.cluster.local")).noneMatch(XdsNames::isGatewayResource);
  }
}
