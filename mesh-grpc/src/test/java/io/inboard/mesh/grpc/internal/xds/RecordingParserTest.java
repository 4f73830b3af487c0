package io.inboard.mesh.grpc.internal.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.NameResolver.ConfigOrError;
import io.grpc.internal.AutoConfiguredLoadBalancerFactory;
import io.grpc.internal.ScParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gate's service-config parser in front of gRPC's real one ({@link ScParser}, as a channel
 * builds it): the method config grpc-xds builds for every call is parsed once per distinct
 * content, the resolver's own configs every time.
 */
class RecordingParserTest {

  private final InitialConfigGate.RecordingParser parser = new InitialConfigGate.RecordingParser(
      new ScParser(true, 5, 5, new AutoConfiguredLoadBalancerFactory("pick_first")));

  /** The shape of grpc-xds's per-call config: one method config for every method. */
  private static Map<String, ?> perCall(String timeout, double maxAttempts) {
    return Map.of("methodConfig", List.of(Map.of(
        "name", List.of(Map.of()),
        "timeout", timeout,
        "retryPolicy", Map.of(
            "maxAttempts", maxAttempts,
            "initialBackoff", "0.025s",
            "maxBackoff", "0.250s",
            "backoffMultiplier", 2.0,
            "retryableStatusCodes", List.of("UNAVAILABLE")))));
  }

  @Test
  void perCallMethodConfig_equalContent_parsedOnceAndShared() {
    ConfigOrError first = parser.parseServiceConfig(perCall("2.000000000s", 3.0));
    ConfigOrError second = parser.parseServiceConfig(perCall("2.000000000s", 3.0));

    assertThat(first.getError()).isNull();
    assertThat(first.getConfig()).isNotNull();
    assertThat(second).isSameAs(first);
  }

  @Test
  void perCallMethodConfig_differentRouteSettings_parsedApart() {
    ConfigOrError threeAttempts = parser.parseServiceConfig(perCall("2.000000000s", 3.0));
    ConfigOrError twoAttempts = parser.parseServiceConfig(perCall("2.000000000s", 2.0));
    ConfigOrError otherTimeout = parser.parseServiceConfig(perCall("1.000000000s", 3.0));

    assertThat(twoAttempts).isNotSameAs(threeAttempts);
    assertThat(otherTimeout).isNotSameAs(threeAttempts).isNotSameAs(twoAttempts);
    assertThat(twoAttempts.getConfig()).isNotEqualTo(threeAttempts.getConfig());
  }

  @Test
  void resolverConfigWithLoadBalancing_parsedEveryTime() {
    Map<String, ?> raw = Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())));

    ConfigOrError first = parser.parseServiceConfig(raw);
    ConfigOrError second = parser.parseServiceConfig(raw);

    assertThat(first.getError()).isNull();
    assertThat(second).isNotSameAs(first);
  }

  @Test
  void perCallMethodConfig_pastTheBound_stillParsedCorrectly() {
    for (int i = 0; i <= InitialConfigGate.RecordingParser.MAX_MEMOIZED; i++) {
      parser.parseServiceConfig(perCall(i + ".000000000s", 3.0));
    }

    ConfigOrError again = parser.parseServiceConfig(perCall("7.000000000s", 3.0));

    assertThat(again.getError()).isNull();
    assertThat(again).isSameAs(parser.parseServiceConfig(perCall("7.000000000s", 3.0)));
  }
}
