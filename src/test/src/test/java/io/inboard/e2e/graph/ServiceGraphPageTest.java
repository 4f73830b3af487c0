package io.inboard.e2e.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.inboard.examples.bookinfo.RunningWorkload;
import io.inboard.examples.bookinfo.Workload;
import io.inboard.examples.bookinfo.WorkloadOptions;
import io.inboard.examples.bookinfo.Workloads;
import io.inboard.mesh.controlplane.ControlPlane;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane's {@code /ui} in a real browser: bookinfo's six workloads run with mTLS
 * from the control plane's CA, ratings answers every request with 500 (Istio's faulty
 * ratings), traffic goes through productpage, and headless Chromium renders the page. The
 * graph must show the workloads and calls, with reviews → ratings failing, as the DOM's
 * {@code data-} attributes say; a screenshot is left in {@code target/service-graph.png}.
 */
class ServiceGraphPageTest {
  private static final Map<Workload, String> ADDRESSES = new EnumMap<>(Map.of(
      Workload.PRODUCTPAGE_V1, "127.0.0.41",
      Workload.DETAILS_V1, "127.0.0.42",
      Workload.REVIEWS_V1, "127.0.0.43",
      Workload.REVIEWS_V2, "127.0.0.44",
      Workload.REVIEWS_V3, "127.0.0.45",
      Workload.RATINGS_V1, "127.0.0.46"));
  private static final Pattern FAILING_RATINGS = Pattern.compile(
      "data-edge=\"default/reviews-v[23] -(&gt;|>) default/ratings-v1\" data-health=\"failure\"");

  private static ControlPlane controlPlane;
  private static final List<RunningWorkload> workloads = new ArrayList<>();
  private static final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static int port;

  @BeforeAll
  static void startBookinfo() throws Exception {
    controlPlane = ControlPlane.builder().xdsPort(0).adminPort(0).securePort(0)
        .stateDirectory(Files.createTempDirectory("graph-control-plane-"))
        .graphScrapeInterval(Duration.ofSeconds(1))
        .registrationGracePeriod(Duration.ofSeconds(1)).start();
    port = freePort();
    for (Workload w : Workload.values()) {
      WorkloadOptions o = WorkloadOptions.at(ADDRESSES.get(w), port, 0,
          controlPlane.xdsAddress()).identity(new WorkloadOptions.Identity(
              controlPlane.secureAddress(), credential(w.serviceAccount()),
              controlPlane.rootCertificateFile()));
      workloads.add(Workloads.start(w, w == Workload.RATINGS_V1 ? o.failing(100) : o));
    }
  }

  @AfterAll
  static void stopBookinfo() {
    workloads.forEach(RunningWorkload::close);
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void pageDrawsTheMeshAndMarksTheFailingCallsInTheBrowser() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.find();
    // until every call of bookinfo has been made: reviews v2 and v3 call ratings
    await("bookinfo traffic in the graph").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          for (int i = 0; i < 6; i++) {
            productpage();
          }
          JsonObject graph = graph();
          assertThat(edges(graph)).as(graph.toString()).contains(
              "unknown -> default/productpage-v1",
              "default/productpage-v1 -> default/details-v1",
              "default/productpage-v1 -> default/reviews-v2",
              "default/reviews-v2 -> default/ratings-v1",
              "default/reviews-v3 -> default/ratings-v1");
          assertThat(health(graph, "default/reviews-v2 -> default/ratings-v1"))
              .isEqualTo("failure");
          assertThat(health(graph, "default/productpage-v1 -> default/details-v1"))
              .isEqualTo("healthy");
        });
    String ui = controlPlane.adminUrl() + "/ui";

    String dom = chromium.dumpDom(ui, 5000);

    assertThat(dom).contains("data-loaded=")
        .contains("data-node=\"default/productpage-v1\"", "data-node=\"default/details-v1\"",
            "data-node=\"default/reviews-v1\"", "data-node=\"default/reviews-v2\"",
            "data-node=\"default/reviews-v3\"", "data-node=\"default/ratings-v1\"")
        .containsPattern("data-edge=\"default/productpage-v1 -(&gt;|>) default/details-v1\""
            + " data-health=\"healthy\"")
        .containsPattern(FAILING_RATINGS)
        // mTLS between the workloads, from the servers' view
        .contains("data-mtls=\"100\"")
        // every workload holds the config it was sent
        .containsPattern("data-workload=\"default/ratings-v1\" data-xds=\"ACK\"");
    Path png = Path.of("target", "service-graph.png");
    chromium.screenshot(ui, png, 1400, 900, 5000);
    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  private static void productpage() throws Exception {
    http.send(HttpRequest.newBuilder(URI.create("http://" + ADDRESSES.get(Workload.PRODUCTPAGE_V1)
        + ":" + port + "/productpage")).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private static JsonObject graph() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create(controlPlane.adminUrl() + "/api/v1/graph?duration=60s")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private static List<String> edges(JsonObject graph) {
    List<String> ids = new ArrayList<>();
    for (JsonElement e : graph.getAsJsonArray("edges")) {
      ids.add(e.getAsJsonObject().get("id").getAsString());
    }
    return ids;
  }

  private static String health(JsonObject graph, String edge) {
    for (JsonElement e : graph.getAsJsonArray("edges")) {
      if (e.getAsJsonObject().get("id").getAsString().equals(edge)) {
        return e.getAsJsonObject().get("health").getAsString();
      }
    }
    return "absent";
  }

  private static Path credential(String serviceAccount) throws IOException {
    Path f = controlPlane.rootCertificateFile().resolveSibling("credential-" + serviceAccount);
    if (!Files.exists(f)) {
      Files.writeString(f, controlPlane.issueLocalCredential("default", serviceAccount));
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }
    return f;
  }

  /** A port free on every workload address (all serve on it, as pods in a cluster). */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int candidate = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (String ip : ADDRESSES.values()) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(ip, candidate));
        } catch (IOException e) {
          free = false;
          break;
        }
      }
      if (free) {
        return candidate;
      }
    }
    throw new IOException("no port in 20000..39999 is free on 127.0.0.41-46");
  }
}
