package io.inboard.mesh.http.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionControlTest {

  @Test
  void runsUpToLimitQueuesUpToPendingAndShedsTheRest() {
    AdmissionControl ac = new AdmissionControl(2, 1);
    List<String> ran = new ArrayList<>();

    assertThat(ac.admit(() -> ran.add("a"))).isTrue();
    assertThat(ac.admit(() -> ran.add("b"))).isTrue();
    assertThat(ac.admit(() -> ran.add("c"))).isTrue();
    assertThat(ac.admit(() -> ran.add("d"))).isFalse();
    assertThat(ran).containsExactly("a", "b");
    assertThat(ac.pending()).isEqualTo(1);

    ac.release();
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(ac.active()).isEqualTo(2);
    assertThat(ac.pending()).isZero();
  }

  @Test
  void withdrawnTaskNeverRuns() {
    AdmissionControl ac = new AdmissionControl(1, 5);
    List<String> ran = new ArrayList<>();
    ac.admit(() -> ran.add("a"));
    Runnable b = () -> ran.add("b");
    ac.admit(b);
    ac.withdraw(b);
    ac.release();
    assertThat(ran).containsExactly("a");
    assertThat(ac.active()).isZero();
  }

  @Test
  void overTheRequestLimitCallsAreShedAtOnceWhileBusyConnectionsMakeThemWait() {
    // max_requests binds: nothing waits, whatever the pending limit (Envoy sheds at once)
    AdmissionControl requests = AdmissionControl.of(ConnectionPoolSettings.builder()
        .maxRequests(1).maxPendingRequests(5).build());
    assertThat(requests.admit(() -> { })).isTrue();
    assertThat(requests.admit(() -> { })).isFalse();
    assertThat(requests.pending()).isZero();

    // max_connections binds: a call waits for a connection, up to the pending limit
    AdmissionControl connections = AdmissionControl.of(ConnectionPoolSettings.builder()
        .maxConnections(1).maxPendingRequests(1).maxRequests(10).build());
    List<String> ran = new ArrayList<>();
    assertThat(connections.admit(() -> ran.add("a"))).isTrue();
    assertThat(connections.admit(() -> ran.add("b"))).isTrue();
    assertThat(connections.admit(() -> ran.add("c"))).isFalse();
    assertThat(ran).containsExactly("a");
    connections.release();
    assertThat(ran).containsExactly("a", "b");
  }
}
