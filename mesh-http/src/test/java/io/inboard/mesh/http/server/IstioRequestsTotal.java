package io.inboard.mesh.http.server;

import io.inboard.mesh.api.Mesh;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Reads {@code istio_requests_total} from a mesh's Prometheus scrape. */
public final class IstioRequestsTotal {
  private IstioRequestsTotal() {}

  /** The {@code istio_requests_total} line of {@code mesh}'s scrape with all of {@code labels}. */
  public static String line(Mesh mesh, String... labels) throws Exception {
    int port = mesh.adminAddress().orElseThrow().getPort();
    String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/stats/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return scrape.lines().filter(l -> l.startsWith("istio_requests_total{"))
        .filter(l -> List.of(labels).stream().allMatch(l::contains)).findFirst()
        .orElseThrow(() -> new AssertionError("no istio_requests_total with " + List.of(labels)
            + " in:\n" + scrape));
  }
}
