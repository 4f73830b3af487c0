package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDirectoryTest {
  static final Path SAMPLES = Path.of("/work/shared/istio-samples/bookinfo/networking");

  @Test
  void loadsEveryIstioBookinfoSampleWithoutError() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).configDirectory(SAMPLES).start()) {
      Diagnostics d = cp.diagnostics();

      assertThat(d.errors()).isEmpty();
      // bookinfo-gateway.yaml's Gateway is served now; nothing else in the samples is left out
      assertThat(d.notServed()).isEmpty();
      assertThat(cp.resources("Gateway", "default", "bookinfo-gateway")).hasSize(1);
    }
  }

  @Test
  void rejectsAnInvalidFileAndLoadsTheRest(@TempDir Path dir) throws Exception {
    Files.copy(SAMPLES.resolve("destination-rule-all.yaml"), dir.resolve("a.yaml"));
    Files.writeString(dir.resolve("b.yml"), """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - timeout: soon
            route: [{destination: {host: reviews}}]
        """);

    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).configDirectory(dir).start()) {
      assertThat(cp.diagnostics().errors()).extracting(Diagnostic::toString).containsExactly(
          "VirtualService default/reviews: spec.http[0].timeout: 'soon'"
              + " (expected: a duration such as 250ms, 1.5s, 2m or 1h)");
      assertThat(cp.diagnostics().warnings()).isEmpty();
    }
  }
}
