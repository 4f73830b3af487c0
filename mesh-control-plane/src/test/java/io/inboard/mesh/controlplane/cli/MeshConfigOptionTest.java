package io.inboard.mesh.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.ControlPlane;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inboardctl control-plane --mesh-config FILE}: a bad file stops it with the field named,
 * and {@code get telemetry} lists Telemetry resources with their warnings.
 */
class MeshConfigOptionTest {
  static final Path EXAMPLES = Path.of("..", "examples", "bookinfo", "telemetry");

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = InboardCtl.run(args, System.in, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badMeshConfigStopsTheControlPlaneNamingTheField() throws Exception {
    Path bad = Files.writeString(dir.resolve("mesh.yaml"), """
        extensionProviders:
        - name: zipkin
          zipkin: {service: zipkin.istio-system, port: 94110}
        """);
    Run r = run("control-plane", "--xds-port", "0", "--admin-port", "0", "--secure-port", "-1",
        "--state-dir", dir.toString(), "--mesh-config", bad.toString());
    assertThat(r.exit()).isEqualTo(InboardCtl.INVALID);
    assertThat(r.err()).contains("error: mesh config " + bad
        + ": extensionProviders[0].zipkin.port: 94110 (expected: an integer 1..65535)");
  }

  @Test
  void missingMeshConfigIsUnreadable() {
    Run r = run("control-plane", "--xds-port", "0", "--mesh-config",
        dir.resolve("none.yaml").toString());
    assertThat(r.exit()).isEqualTo(InboardCtl.UNREADABLE);
    assertThat(r.err()).contains("--mesh-config: " + dir.resolve("none.yaml"));
  }

  @Test
  void helpDocumentsTheMeshConfig() {
    assertThat(run("--help").out()).contains("--mesh-config FILE", "extensionProviders");
  }

  @Test
  void offlineAnalyzeChecksTracingProvidersAgainstTheMeshConfig() {
    String telemetry = EXAMPLES.resolve("mesh-default.yaml").toString();
    Run with = run("analyze", "-f", telemetry, "--server", "http://127.0.0.1:1",
        "--mesh-config", EXAMPLES.resolve("mesh-config.yaml").toString());
    assertThat(with.exit()).isZero();
    assertThat(with.out()).contains("valid Telemetry istio-system/mesh-default")
        .doesNotContain("WARNING");

    Run without = run("analyze", "-f", telemetry, "--server", "http://127.0.0.1:1");
    assertThat(without.exit()).isZero();
    assertThat(without.out()).contains("WARNING Telemetry istio-system/mesh-default:"
        + " spec.tracing[0].providers: provider 'zipkin' is not a tracing provider of the mesh"
        + " config (expected one of []); spans are not sent to it");
  }

  @Test
  void getTelemetryListsTheStoredTelemetries() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(0).securePort(-1)
        .meshConfig(EXAMPLES.resolve("mesh-config.yaml")).start()) {
      assertThat(cp.apply(Files.readString(EXAMPLES.resolve("mesh-default.yaml"))).hasErrors())
          .isFalse();
      Run r = run("get", "telemetry", "--server", cp.adminUrl());
      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("kind: Telemetry", "name: mesh-default",
          "randomSamplingPercentage: 100.0");
    }
  }
}
