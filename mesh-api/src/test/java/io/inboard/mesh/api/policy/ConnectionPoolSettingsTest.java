package io.inboard.mesh.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionPoolSettingsTest {

  @Test
  void defaultsAreIstiosNoLimitsAndUnlimitedRequestsPerConnection() {
    ConnectionPoolSettings d = ConnectionPoolSettings.DEFAULT;

    assertThat(d.maxRequests()).isEqualTo(ConnectionPoolSettings.UNLIMITED);
    assertThat(d.maxPendingRequests()).isEqualTo(ConnectionPoolSettings.UNLIMITED);
    assertThat(d.maxRequestsPerConnection()).isZero();
    assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void builderSetsRequestsPerConnection_andTheFiveFieldFormLeavesItUnlimited() {
    assertThat(ConnectionPoolSettings.builder().maxRequestsPerConnection(3).build()
        .maxRequestsPerConnection()).isEqualTo(3);
    assertThat(new ConnectionPoolSettings(1, 1, 1, 1, Duration.ofSeconds(1))
        .maxRequestsPerConnection()).isZero();
  }

  @Test
  void negativeRequestsPerConnectionIsRefusedNamingTheField() {
    assertThatThrownBy(() -> ConnectionPoolSettings.builder().maxRequestsPerConnection(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectionPool.maxRequestsPerConnection: -1 (expected: >= 0, 0 for"
            + " unlimited)");
  }

  @Test
  void idleTimeoutIsUnsetByDefault_zeroMeansNever_andNegativeIsRefusedNamingTheField() {
    assertThat(ConnectionPoolSettings.DEFAULT.idleTimeout()).isEmpty();
    assertThat(ConnectionPoolSettings.builder().idleTimeout(Duration.ZERO).build().idleTimeout())
        .contains(Duration.ZERO);
    assertThatThrownBy(() -> ConnectionPoolSettings.builder()
        .idleTimeout(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectionPool.idleTimeout: -1s (expected: >= 0s, 0s for never)");
  }
}
