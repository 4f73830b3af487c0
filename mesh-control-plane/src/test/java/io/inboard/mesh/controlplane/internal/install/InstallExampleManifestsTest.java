package io.inboard.mesh.controlplane.internal.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/bookinfo/k8s/istio-crds.yaml} and {@code control-plane.yaml} are checked
 * copies of what {@code inboardctl install --profile minimal} applies, for {@code kubectl apply}
 * without inboardctl; the install templates are their one source. This test fails when a copy
 * differs from the rendering; {@code -Dinstall.regenerate=true} rewrites both.
 */
class InstallExampleManifestsTest {
  static final Path DIR = Path.of("../examples/bookinfo/k8s");

  static final String CRDS_HEADER = """
      # GENERATED: the CRD part of `inboardctl manifest generate --profile minimal`. Do not edit:
      # edit mesh-control-plane/src/main/resources/io/inboard/mesh/controlplane/install/crds.yaml
      # and regenerate (InstallExampleManifestsTest, -Dinstall.regenerate=true); the test fails
      # while this copy differs. `inboardctl install` applies the same, skipping CRDs that exist.
      ---
      """;
  static final String CONTROL_PLANE_HEADER = """
      # GENERATED: `inboardctl manifest generate --profile minimal` without its CRDs (those are
      # istio-crds.yaml): namespaces, the control plane and the injection webhook. Do not edit:
      # edit the templates in mesh-control-plane/src/main/resources/io/inboard/mesh/controlplane/
      # install/ and regenerate (InstallExampleManifestsTest, -Dinstall.regenerate=true); the
      # test fails while this copy differs. `inboardctl install --profile minimal` applies the
      # same, and also waits for the rollout before it applies the webhook.
      #   kubectl apply -f istio-crds.yaml -f control-plane.yaml -f bookinfo.yaml
      ---
      """;

  @Test
  void istioCrdsYamlIsTheRenderedCrds() throws IOException {
    RenderedManifest m = ManifestRenderer.render(InstallValues.defaults(Profile.MINIMAL));
    check(DIR.resolve("istio-crds.yaml"), CRDS_HEADER + m.part("crds.yaml").yaml());
  }

  @Test
  void controlPlaneYamlIsTheRenderedMinimalProfileWithoutCrds() throws IOException {
    RenderedManifest m = ManifestRenderer.render(InstallValues.defaults(Profile.MINIMAL));
    List<String> rest = m.parts().stream().filter(p -> !p.template().equals("crds.yaml"))
        .map(RenderedManifest.Part::yaml).toList();
    assertThat(m.parts()).extracting(RenderedManifest.Part::template).containsExactly(
        "namespaces.yaml", "crds.yaml", "control-plane.yaml", ManifestRenderer.WEBHOOK);
    check(DIR.resolve("control-plane.yaml"),
        CONTROL_PLANE_HEADER + rest.stream().collect(Collectors.joining("---\n")));
  }

  private static void check(Path file, String rendered) throws IOException {
    if (Boolean.getBoolean("install.regenerate")) {
      Files.writeString(file, rendered);
    }
    assertThat(Files.readString(file)).as("%s (regenerate with -Dinstall.regenerate=true)",
        file).isEqualTo(rendered);
  }
}
