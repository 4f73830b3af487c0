package io.inboard.e2e.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.controlplane.ControlPlane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A workload's {@code envoy_control_plane_connected_state} follows its real xDS stream: 1 while
 * the control plane answers, 0 once it is gone; {@code inboard_xds_resources} counts the ACKed
 * {@code virtualInbound} listener.
 */
class ControlPlaneConnectedStateTest {

  private static final Pattern CONNECTED =
      Pattern.compile("(?m)^envoy_control_plane_connected_state(?:\\{[^}]*})? (\\S+)$");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void connectedState_isOneWithTheControlPlane_andZeroWhenItStops() throws Exception {
    ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(0).securePort(0).start();
    try (Mesh mesh = Mesh.builder().workloadName("ratings-v1").namespace("default")
        .instanceIps("127.0.0.1").controlPlane(cp.xdsAddress()).adminPort(0).build()) {
      URI stats = URI.create("http://127.0.0.1:" + mesh.adminAddress().orElseThrow().getPort()
          + "/stats/prometheus");

      await().atMost(Duration.ofSeconds(20)).until(() -> connected(scrape(stats)), v -> v == 1);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape(stats))
          .containsPattern(
          "(?m)^inboard_xds_resources\\{state=\"acked\",type=\"listener\"} 1(\\.0)?$"));

      cp.close();

      await().atMost(Duration.ofSeconds(20)).until(() -> connected(scrape(stats)), v -> v == 0);
    } finally {
      cp.close();
    }
  }

  private String scrape(URI stats) throws Exception {
    return http.send(HttpRequest.newBuilder(stats).build(), BodyHandlers.ofString()).body();
  }

  private static double connected(String scrape) {
    Matcher m = CONNECTED.matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
