package io.inboard.mesh.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.internal.RetryOnText;
import org.junit.jupiter.api.Test;

class RetryOnTest {

  @Test
  void bareStatusCodeImpliesRetriableStatusCodes() {
    RetryOn on = RetryOn.parse("connect-failure, 503 ,unavailable");
    assertThat(on.conditions()).containsExactlyInAnyOrder(
        RetryOn.Condition.CONNECT_FAILURE, RetryOn.Condition.RETRIABLE_STATUS_CODES);
    assertThat(on.statusCodes()).containsExactly(503);
    assertThat(on.grpcCodes()).containsExactly(RetryOn.GrpcCode.UNAVAILABLE);
    assertThat(on.retriesStatus(503)).isTrue();
    assertThat(on.retriesStatus(500)).isFalse();
    assertThat(on.retriesConnectFailure()).isTrue();
    assertThat(on.retriesReset()).isFalse();
  }

  @Test
  void fiveXxCoversEveryServerErrorResetAndConnectFailure() {
    RetryOn on = RetryOn.parse("5xx");
    assertThat(on.retriesStatus(500)).isTrue();
    assertThat(on.retriesStatus(599)).isTrue();
    assertThat(on.retriesStatus(404)).isFalse();
    assertThat(on.retriesReset()).isTrue();
    assertThat(on.retriesConnectFailure()).isTrue();
  }

  @Test
  void gatewayErrorCoversOnly502To504() {
    RetryOn on = RetryOn.parse("gateway-error");
    assertThat(on.retriesStatus(502)).isTrue();
    assertThat(on.retriesStatus(504)).isTrue();
    assertThat(on.retriesStatus(500)).isFalse();
  }

  @Test
  void unknownConditionIsRejectedWithFieldValueAndChoices() {
    assertThatThrownBy(() -> RetryOn.parse("5xx,sometimes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retryOn: 'sometimes' (expected: one of 5xx, gateway-error")
        .hasMessageContaining("unavailable");
  }

  @Test
  void statusOutsideHttpRangeIsRejectedWithTheRange() {
    assertThatThrownBy(() -> RetryOn.parse("999"))
        .hasMessage("retryOn: '999' (expected: an HTTP status 100..599)");
    assertThatThrownBy(() -> RetryOn.parse("5xx, 99999999999"))
        .hasMessage("retryOn: '99999999999' (expected: an HTTP status 100..599)");
  }

  @Test
  void emptyTextRetriesOnNothing() {
    RetryOn none = RetryOn.parse(" , ");
    assertThat(none.conditions()).isEmpty();
    assertThat(none.retriesStatus(503)).isFalse();
    assertThat(none.retriesConnectFailure()).isFalse();
  }

  @Test
  void annotationAndYamlErrorsNameTheirOwnField() {
    assertThatThrownBy(() -> RetryOnText.parse("@Retry.retryOn", "5xx,sometimes"))
        .hasMessageStartingWith("@Retry.retryOn: 'sometimes' (expected: one of 5xx");
  }

  @Test
  void printsInEnvoySpelling() {
    assertThat(RetryOn.parse("503,gateway-error,cancelled")).hasToString(
        "gateway-error,retriable-status-codes,cancelled,503");
  }
}
