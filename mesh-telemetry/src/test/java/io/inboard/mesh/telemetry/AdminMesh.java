package io.inboard.mesh.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real mesh per test ({@code reviews-v2} in {@code default}, app {@code reviews}, version
 * {@code v2}) with its admin server on an ephemeral port, scraped over loopback.
 */
public final class AdminMesh implements BeforeEachCallback, AfterEachCallback {

  private final HttpClient http = HttpClient.newHttpClient();
  private Mesh mesh;

  @Override
  public void beforeEach(ExtensionContext context) {
    mesh = Mesh.builder().workloadName("reviews-v2").namespace("default")
        .label("app", "reviews").label("version", "v2")
        .discovery(new StaticDiscovery()).adminPort(0).build();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    mesh.close();
  }

  public Mesh mesh() {
    return mesh;
  }

  public MeshTelemetry telemetry() {
    return InternalMesh.telemetry(mesh);
  }

  /** {@code GET /stats/prometheus}, parsed. */
  public PrometheusText scrape() {
    return PrometheusText.parse(get("/stats/prometheus"));
  }

  /** {@code GET path} from the admin server, expecting 200. */
  public String get(String path) {
    int port = mesh.adminAddress().orElseThrow().getPort();
    try {
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
