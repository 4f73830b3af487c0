package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config directory is followed: new, changed, broken and removed files. */
class ConfigDirectoryWatchTest {
  static final String VS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: %s}
      spec:
        hosts: [%s]
        http:
        - timeout: %s
          route: [{destination: {host: %s}}]
      """;

  @Test
  void picksUpNewFilesKeepsLastGoodOfBrokenOnesAndDropsRemovedOnes(@TempDir Path dir)
      throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).configDirectory(dir)
        .configPollInterval(Duration.ofMillis(100)).start()) {
      assertThat(cp.resources("", "", "")).isEmpty();

      Files.writeString(dir.resolve("reviews.yaml"), vs("reviews", "2s"));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> timeoutOf(cp, "reviews").equals("2s"));

      Files.writeString(dir.resolve("reviews.yaml"), vs("reviews", "soon"));
      await().atMost(Duration.ofSeconds(10)).until(() -> cp.diagnostics().hasErrors());
      assertThat(cp.diagnostics().errors()).extracting(Diagnostic::toString).containsExactly(
          "VirtualService default/reviews: spec.http[0].timeout: 'soon'"
              + " (expected: a duration such as 250ms, 1.5s, 2m or 1h)");
      assertThat(timeoutOf(cp, "reviews")).isEqualTo("2s");

      Files.writeString(dir.resolve("reviews.yaml"), vs("reviews", "3s"));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> timeoutOf(cp, "reviews").equals("3s"));
      assertThat(cp.diagnostics().hasErrors()).isFalse();

      Files.delete(dir.resolve("reviews.yaml"));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> cp.resources("VirtualService", "", "reviews").isEmpty());
    }
  }

  private static String vs(String name, String timeout) {
    return VS.formatted(name, name, timeout, name);
  }

  @SuppressWarnings("unchecked")
  private static String timeoutOf(ControlPlane cp, String name) {
    return cp.resources("VirtualService", "default", name).stream()
        .map(r -> ((java.util.Map<String, Object>) ((java.util.List<Object>)
            ((java.util.Map<String, Object>) r.document().get("spec")).get("http")).get(0))
            .get("timeout"))
        .map(String::valueOf).findFirst().orElse("");
  }
}
