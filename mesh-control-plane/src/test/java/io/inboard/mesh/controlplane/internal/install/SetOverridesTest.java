package io.inboard.mesh.controlplane.internal.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SetOverridesTest {

  @Test
  void defaultsToTheDefaultProfile() {
    InstallValues v = SetOverrides.apply(null, List.of());

    assertThat(v).isEqualTo(InstallValues.defaults(Profile.DEFAULT));
    assertThat(v.ingressGateway()).isTrue();
    assertThat(v.meshTelemetry()).isFalse();
  }

  @Test
  void setProfileSelectsTheProfileAsIstioctlDoes() {
    assertThat(SetOverrides.apply(null, List.of("profile=demo")).profile())
        .isEqualTo(Profile.DEMO);
  }

  @Test
  void keysOverrideTheProfile() {
    InstallValues v = SetOverrides.apply("demo", List.of("hub=registry.example.com/inboard",
        "tag=0.2.0", "components.ingressGateways.enabled=false",
        "values.pilot.traceSampling=5.5", "meshConfig.accessLogFile=",
        "values.pilot.resources.requests.cpu=500m",
        "values.gateways.istio-ingressgateway.resources.requests.memory=1Gi",
        "values.gateways.istio-ingressgateway.resources.limits.memory=2Gi"));

    assertThat(v.hub()).isEqualTo("registry.example.com/inboard");
    assertThat(v.tag()).isEqualTo("0.2.0");
    assertThat(v.ingressGateway()).isFalse();
    assertThat(v.traceSampling()).isEqualTo(5.5);
    assertThat(v.accessLogFile()).isEmpty();
    assertThat(v.pilot().cpu()).isEqualTo("500m");
    assertThat(v.gateway().memory()).isEqualTo("1Gi");
    String yaml = ManifestRenderer.render(v).yaml();
    assertThat(yaml).contains("image: registry.example.com/inboard/control-plane:0.2.0",
        "randomSamplingPercentage: 5.5", "disabled: true")
        .doesNotContain("istio-ingressgateway");
  }

  @Test
  void traceSamplingAloneRendersTelemetryWithAccessLogsOff() {
    InstallValues v = SetOverrides.apply("minimal", List.of("values.pilot.traceSampling=10"));

    assertThat(v.meshTelemetry()).isTrue();
    assertThat(ManifestRenderer.render(v).yaml()).contains("randomSamplingPercentage: 10\n",
        "disabled: true");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "values.global.hub=x|--set: unknown key 'values.global.hub' (value 'x'; expected: one of"
          + " profile, hub, tag, components.ingressGateways.enabled",
      "noequals|--set: 'noequals' (expected: key=value",
      "profile=ambient|--set profile: 'ambient' (expected: one of minimal, default, demo)",
      "components.ingressGateways.enabled=yes|--set components.ingressGateways.enabled: 'yes'"
          + " (expected: true or false)",
      "values.pilot.traceSampling=abc|--set values.pilot.traceSampling: 'abc' (expected: a"
          + " percentage, 0.0 to 100.0)",
      "values.pilot.traceSampling=-1|--set values.pilot.traceSampling: '-1'",
      "meshConfig.accessLogFile=/var/log/x|--set meshConfig.accessLogFile: '/var/log/x'"
          + " (expected: /dev/stdout (access logs on) or empty (off))",
      "tag=a b|--set tag: 'a b' (expected: an image tag",
      "values.pilot.resources.requests.cpu=lots|--set values.pilot.resources.requests.cpu:"
          + " 'lots' (expected: a CPU quantity",
      "values.pilot.resources.requests.memory=1Gi|values.pilot.resources.requests.memory: '1Gi'"
          + " (expected: at most values.pilot.resources.limits.memory, '512Mi')"})
  void refusesNamingKeyValueAndWhatIsAccepted(String set, String message) {
    assertThatThrownBy(() -> SetOverrides.apply(null, List.of(set)))
        .isInstanceOf(InvalidInstallValueException.class).hasMessageContaining(message);
  }

  @Test
  void conflictingProfilesAreRefused() {
    assertThatThrownBy(() -> SetOverrides.apply("minimal", List.of("profile=demo")))
        .hasMessage("--set profile: 'demo' (expected: the same as --profile 'minimal', or only"
            + " one of them)");
  }
}
