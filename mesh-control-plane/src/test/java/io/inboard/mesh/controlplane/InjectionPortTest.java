package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The injection webhook's port: served beside the CA, disabled on request or without one. */
class InjectionPortTest {

  @Test
  void withTheCa_aFreeInjectionPortIsServedBesideTheOthers() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start()) {
      assertThat(cp.injectionPort()).isPositive().isNotEqualTo(cp.securePort())
          .isNotEqualTo(15017);
    }
  }

  @Test
  void injectionPortMinusOne_disablesTheWebhook() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).injectionPort(-1)
        .start()) {
      assertThatThrownBy(cp::injectionPort).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("injectionPort: disabled");
      assertThat(InternalControlPlane.injectionWebhook(cp)).isEmpty();
    }
  }

  @Test
  void withoutCa_thereIsNoWebhook_andAskingForAPortFailsNamingWhy() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).securePort(-1)
        .start()) {
      assertThat(InternalControlPlane.injectionWebhook(cp)).isEmpty();
    }
    assertThatThrownBy(() -> ControlPlane.builder().xdsPort(0).adminPort(-1).securePort(-1)
        .injectionPort(0).start()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("injectionPort: 0 (expected: -1 when the CA is disabled");
  }

  @Test
  void aPortOutOfRange_isRefused() {
    assertThatThrownBy(() -> ControlPlane.builder().injectionPort(70000))
        .hasMessage("injectionPort: 70000 (expected: -1..65535)");
  }
}
