package io.inboard.mesh.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.internal.install.InstallValues;
import io.inboard.mesh.controlplane.internal.install.ManifestRenderer;
import io.inboard.mesh.controlplane.internal.install.Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The install family through {@link InboardCtl#run}: parsing, rendering, exit codes. */
class InstallCommandLineTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return InboardCtl.run(args, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void manifestGeneratePrintsTheProfileWithoutACluster() {
    assertThat(run("manifest", "generate", "--profile", "demo")).isEqualTo(InboardCtl.OK);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
        ManifestRenderer.render(InstallValues.defaults(Profile.DEMO)).yaml());
  }

  @Test
  void repeatedSetOptionsAllApply() {
    assertThat(run("manifest", "generate", "--set", "tag=9.9.9", "-s", "hub=example.com/x",
        "--set=components.ingressGateways.enabled=false")).isEqualTo(InboardCtl.OK);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("image: example.com/x/control-plane:9.9.9")
        .doesNotContain("istio-ingressgateway");
  }

  @Test
  void unknownSetKeyExitsOneNamingTheAcceptedKeys() {
    assertThat(run("manifest", "generate", "--set", "foo=bar")).isEqualTo(InboardCtl.INVALID);

    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown key 'foo'", "'bar'",
        "values.pilot.traceSampling", "nothing changed");
    assertThat(out.size()).isZero();
  }

  @Test
  void wrongCommandLineIsAUsageError() {
    assertThat(run("manifest", "render")).isEqualTo(InboardCtl.USAGE);
    assertThat(run("uninstall", "--profile", "demo")).isEqualTo(InboardCtl.USAGE);
    assertThat(run("install", "--set")).isEqualTo(InboardCtl.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(
        "uninstall: unexpected '--profile' (expected: uninstall [--purge] [-y])",
        "--set: missing value");
  }

  @Test
  void badReadinessTimeoutIsRefusedBeforeAnyCluster() {
    assertThat(run("install", "-y", "--readiness-timeout", "soon"))
        .isEqualTo(InboardCtl.INVALID);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(
        "--readiness-timeout: 'soon' (expected: a duration such as 300s, 5m or 300)");
  }

  @Test
  void helpListsTheInstallCommands() {
    assertThat(run("--help")).isEqualTo(InboardCtl.OK);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("install [--profile minimal|"
        + "default|demo]", "manifest generate", "precheck", "uninstall [--purge] [-y]");
  }
}
