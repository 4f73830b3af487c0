package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin HTTP API of a real control plane, on an ephemeral loopback port. */
class AdminApiTest {
  static final String REVIEWS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews}
      spec:
        hosts: [reviews]
        http:
        - route: [{destination: {host: reviews, subset: %s}}]
      """;
  static final String BAD = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: ratings}
      spec:
        hosts: [ratings]
        http:
        - timeout: soon
          route: [{destination: {host: ratings}}]
      """;

  ControlPlane cp;
  AdminHttp admin;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(0).start();
    admin = new AdminHttp(cp);
  }

  @AfterEach
  void stop() {
    admin.close();
    cp.close();
  }

  @Test
  void applyStoresResourcesAndGetShowsThemWithTheirWarnings() throws Exception {
    AdminHttp.Reply r = admin.post("/api/v1/apply", REVIEWS.formatted("v1") + "---\n" + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: details}
        spec:
          hosts: [details]
          http:
          - match: [{method: {exact: GET}}]
            route: [{destination: {host: details}}]
        """);

    assertThat(r.status()).isEqualTo(200);
    assertThat(names(r.json().getAsJsonArray("applied"))).containsExactly("reviews", "details");
    // no DestinationRule defines reviews' subset v1 yet, so that reference is warned about too
    assertThat(texts(r.json().getAsJsonArray("warnings"))).satisfiesExactly(
        w -> assertThat(w).startsWith(
            "WARNING VirtualService default/details: spec.http[0].match[0].method:"),
        w -> assertThat(w).startsWith("WARNING VirtualService default/reviews:"
            + " spec.http[0].route[0].destination.subset: subset 'v1'"));

    JsonArray found = admin.get("/api/v1/resources?kind=virtualservice&name=details").json()
        .getAsJsonArray("resources");
    assertThat(found).hasSize(1);
    JsonObject details = found.get(0).getAsJsonObject();
    assertThat(details.getAsJsonObject("document").getAsJsonObject("metadata").get("name")
        .getAsString()).isEqualTo("details");
    assertThat(details.getAsJsonArray("diagnostics")).hasSize(1);
    assertThat(admin.get("/api/v1/resources?kind=VirtualService&format=yaml").body())
        .contains("name: reviews", "name: details", "# WARNING VirtualService default/details");
  }

  @Test
  void invalidApplyIs400NamingResourceFieldValueAndExpectationAndChangesNothing()
      throws Exception {
    admin.post("/api/v1/apply", REVIEWS.formatted("v1"));

    AdminHttp.Reply r = admin.post("/api/v1/apply", REVIEWS.formatted("v2") + "---\n" + BAD);

    assertThat(r.status()).isEqualTo(400);
    assertThat(texts(r.json().getAsJsonArray("errors"))).containsExactly(
        "VirtualService default/ratings: spec.http[0].timeout: 'soon'"
            + " (expected: a duration such as 250ms, 1.5s, 2m or 1h)");
    assertThat(r.json().getAsJsonArray("applied")).isEmpty();
    assertThat(admin.get("/api/v1/resources?kind=VirtualService&format=yaml").body())
        .contains("subset: v1").doesNotContain("subset: v2", "ratings");
  }

  @Test
  void deleteOfAnUnknownResourceIs404AndDeletesNothing() throws Exception {
    admin.post("/api/v1/apply", REVIEWS.formatted("v1"));

    AdminHttp.Reply unknown = admin.post("/api/v1/delete",
        REVIEWS.formatted("v1") + "---\n" + BAD);

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(names(unknown.json().getAsJsonArray("unknown"))).containsExactly("ratings");
    assertThat(cp.resources("VirtualService", "", "")).hasSize(1);

    // only kind, namespace and name matter: no spec needed
    AdminHttp.Reply deleted = admin.post("/api/v1/delete",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\n");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(names(deleted.json().getAsJsonArray("deleted"))).containsExactly("reviews");
    assertThat(cp.resources("", "", "")).isEmpty();
  }

  @Test
  void analyzeReportsErrorsAndWarningsAndChangesNothing() throws Exception {
    AdminHttp.Reply invalid = admin.post("/api/v1/analyze", BAD);
    AdminHttp.Reply valid = admin.post("/api/v1/analyze", """
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata: {name: bookinfo-gateway}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 3306, name: db, protocol: MYSQL}, hosts: ["*"]}]
        """);

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(texts(invalid.json().getAsJsonArray("errors"))).singleElement().asString()
        .contains("spec.http[0].timeout: 'soon'");
    assertThat(valid.status()).isEqualTo(200);
    assertThat(texts(valid.json().getAsJsonArray("warnings"))).containsExactly(
        "WARNING Gateway default/bookinfo-gateway: spec.servers[0].port.protocol: not served:"
            + " the gateway serves HTTP routes only (HTTP, HTTP2, GRPC, HTTPS); MYSQL servers"
            + " get no listener");
    assertThat(cp.resources("", "", "")).isEmpty();
  }

  @Test
  void diagnosticsListWarningsAndNotServedOfAllResources() throws Exception {
    admin.post("/api/v1/apply", """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: external}
        spec: {hosts: [example.com]}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ingress}
        spec:
          hosts: [productpage]
          gateways: [gw]
          http:
          - route: [{destination: {host: productpage}}]
        """);

    JsonObject d = admin.get("/api/v1/diagnostics").json();

    assertThat(texts(d.getAsJsonArray("errors"))).isEmpty();
    assertThat(texts(d.getAsJsonArray("warnings"))).singleElement().asString()
        .startsWith("WARNING VirtualService default/ingress: spec.gateways[0]: Referenced"
            + " gateway not found: \"default/gw\"");
    assertThat(texts(d.getAsJsonArray("notServed"))).singleElement().asString()
        .startsWith("NOT_SERVED ServiceEntry default/external");
  }

  @Test
  void configDumpShowsWhatAWorkloadWasSentAckedAndNacked() throws Exception {
    cp.register(new ServiceEndpoint("reviews.default.svc.cluster.local", 9080, "127.0.0.2",
        Map.of()));
    List<String> names = List.of("reviews.default.svc.cluster.local:9080");
    try (RawAdsStream ads = RawAdsStream.open(cp.xdsAddress(),
        Node.newBuilder().setId("sidecarless~1").build())) {
      DiscoveryResponse first = ads.subscribe(RawAdsStream.LISTENER, names);
      ads.ack(first, names);
      // a new service adds a listener, so listeners get a new version (an endpoint would not)
      cp.register(new ServiceEndpoint("ratings.default.svc.cluster.local", 9080, "127.0.0.3",
          Map.of()));
      DiscoveryResponse second = ads.next();
      ads.nack(second, names, first.getVersionInfo(), "listener rejected: test");

      JsonObject listener = org.awaitility.Awaitility.await().until(
          () -> listenerDump(admin.get("/api/v1/config-dump/sidecarless~1")),
          l -> l.getAsJsonArray("nacks").size() == 1);

      assertThat(listener.get("ackedVersion").getAsString()).isEqualTo(first.getVersionInfo());
      assertThat(listener.get("sentVersion").getAsString()).isEqualTo(second.getVersionInfo());
      JsonObject nack = listener.getAsJsonArray("nacks").get(0).getAsJsonObject();
      assertThat(nack.get("version").getAsString()).isEqualTo(second.getVersionInfo());
      assertThat(nack.get("message").getAsString()).isEqualTo("listener rejected: test");
      assertThat(listener.getAsJsonArray("resources").get(0).getAsJsonObject().get("name")
          .getAsString()).isEqualTo("reviews.default.svc.cluster.local:9080");
      assertThat(cp.workload("sidecarless~1").orElseThrow().nacks()).hasSize(1);
    }
    assertThat(admin.get("/api/v1/config-dump/nobody").status()).isEqualTo(404);
  }

  @Test
  void credentialSecretValuesAreShownNeitherInResourcesNorInTheConfigDump() throws Exception {
    cp.register(new ServiceEndpoint("reviews.default.svc.cluster.local", 9080, "127.0.0.2",
        Map.of()));
    cp.apply(CredentialNameTest.tlsSecret("cred", "CERT", "PRIVATE-KEY-TEXT", "CA") + "---\n"
        + CredentialNameTest.dr("MUTUAL", "cred"));
    try (RawAdsStream ads = RawAdsStream.open(cp.xdsAddress(),
        Node.newBuilder().setId("dump~1").build())) {
      DiscoveryResponse clusters = ads.subscribe(RawAdsStream.CLUSTERS, List.of());
      ads.ack(clusters, List.of());

      String dump = unescaped(org.awaitility.Awaitility.await().until(
          () -> admin.get("/api/v1/config-dump/dump~1").body(),
          b -> b.contains("cluster.v3.Cluster")));

      assertThat(dump).contains("<redacted>", CredentialNameTest.b64("CERT"))
          .doesNotContain(CredentialNameTest.b64("PRIVATE-KEY-TEXT"), "PRIVATE-KEY-TEXT");
    }
    String resources = unescaped(admin.get("/api/v1/resources?kind=secret").body());
    assertThat(resources).contains("tls.key", "<redacted>")
        .doesNotContain(CredentialNameTest.b64("PRIVATE-KEY-TEXT"));
  }

  /** Gson's HTML-safe escapes undone, as a reader of the JSON sees the text. */
  private static String unescaped(String json) {
    return json.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u003d", "=");
  }

  @Test
  void healthzAndUnknownPathsAndMethods() throws Exception {
    assertThat(admin.get("/healthz")).isEqualTo(new AdminHttp.Reply(200, "ok\n"));
    assertThat(admin.get("/api/v1/nothing").status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/apply").status()).isEqualTo(405);
    assertThat(admin.post("/api/v1/workloads", "").status()).isEqualTo(405);
  }

  private static JsonObject listenerDump(AdminHttp.Reply r) {
    for (JsonElement c : r.json().getAsJsonArray("configs")) {
      if (c.getAsJsonObject().get("typeUrl").getAsString().equals(RawAdsStream.LISTENER)) {
        return c.getAsJsonObject();
      }
    }
    throw new AssertionError("no listener config in " + r.body());
  }

  private static List<String> names(JsonArray ids) {
    return ids.asList().stream().map(e -> e.getAsJsonObject().get("name").getAsString())
        .toList();
  }

  private static List<String> texts(JsonArray diagnostics) {
    return diagnostics.asList().stream()
        .map(e -> e.getAsJsonObject().get("text").getAsString()).toList();
  }
}
