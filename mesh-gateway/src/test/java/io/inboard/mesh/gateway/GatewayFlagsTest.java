package io.inboard.mesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's command line. */
class GatewayFlagsTest {

  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void takesEveryFlagInBothForms() {
    GatewayFlags f = GatewayFlags.parse(new String[] {"--control-plane", "127.0.0.1:15010",
        "--bind-host=127.0.0.1", "--health-port", "0", "--label", "istio=ingressgateway",
        "--label=app=gw"}, NO_ENV::get);
    assertThat(f.bindHost()).isEqualTo("127.0.0.1");
    assertThat(f.healthPort()).isZero();
    assertThat(f.labels()).containsEntry("istio", "ingressgateway").containsEntry("app", "gw");
  }

  @Test
  void defaultsBindHostAndHealthPort() {
    GatewayFlags f = GatewayFlags.parse(new String[] {"--control-plane", "cp:15010"},
        NO_ENV::get);
    assertThat(f.bindHost()).isEqualTo("0.0.0.0");
    assertThat(f.healthPort()).isEqualTo(15021);
  }

  @Test
  void theControlPlaneMayComeFromTheInjectedEnvironment() {
    GatewayFlags f = GatewayFlags.parse(new String[0],
        Map.of("INBOARD_CONTROL_PLANE", "inboard-control-plane.inboard-system.svc:15010")::get);
    assertThat(f.values()).doesNotContainKey("--control-plane");
  }

  @Test
  void badFlagsNameTheFlagAndTheExpectedForm() {
    assertThatThrownBy(() -> GatewayFlags.parse(new String[] {"--health-port", "http"},
        NO_ENV::get)).hasMessageContaining("--health-port").hasMessageContaining("'http'")
        .hasMessageContaining("PORT");
    assertThatThrownBy(() -> GatewayFlags.parse(new String[] {"--control-plane", "nohost"},
        NO_ENV::get)).hasMessageContaining("--control-plane").hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> GatewayFlags.parse(new String[] {"--label", "novalue"},
        NO_ENV::get)).hasMessageContaining("--label").hasMessageContaining("KEY=VALUE");
    assertThatThrownBy(() -> GatewayFlags.parse(new String[] {"--port", "1"}, NO_ENV::get))
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> GatewayFlags.parse(new String[] {"--namespace"}, NO_ENV::get))
        .hasMessageContaining("--namespace").hasMessageContaining("no value");
    assertThatThrownBy(() -> GatewayFlags.parse(new String[0], NO_ENV::get))
        .hasMessageContaining("--control-plane").hasMessageContaining("INBOARD_CONTROL_PLANE");
  }
}
