package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * With auto-registration off (the Kubernetes mode of {@code inboardctl control-plane}), a
 * workload announcing a service is tracked, but only the configured source makes endpoints.
 */
class AutoRegistrationOffTest {

  @Test
  void announcingWorkloadIsListedButBecomesNoEndpoint() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).autoRegistration(false).start();
        XdsWorkload w = XdsWorkload.connect(cp.xdsAddress(), "details-v1~1",
            XdsWorkload.serving("details", "v1", "127.0.0.9", 9080),
            "details.default.svc.cluster.local:9080")) {
      WorkloadStatus status = await().atMost(Duration.ofSeconds(20))
          .until(() -> cp.workload("details-v1"), Optional::isPresent).orElseThrow();
      assertThat(status.connected()).isTrue();
      assertThat(status.service()).isEqualTo("details.default.svc.cluster.local");

      // what auto-registration would have done by now (it registers on the first request)
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
          .until(() -> cp.services().isEmpty());
    }
  }
}
