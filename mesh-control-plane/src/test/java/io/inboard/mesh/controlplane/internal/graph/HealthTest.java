package io.inboard.mesh.controlplane.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthTest {

  static Stream<Arguments> kialiTolerances() {
    return Stream.of(
        // http 5xx: degraded above 0%, failure from 10%
        Arguments.of("http", "503", 0.0, Health.HEALTHY),
        Arguments.of("http", "503", 0.1, Health.DEGRADED),
        Arguments.of("http", "500", 9.9, Health.DEGRADED),
        Arguments.of("http", "500", 10.0, Health.FAILURE),
        // http 4xx: degraded from 10%, failure from 20%
        Arguments.of("http", "404", 9.9, Health.HEALTHY),
        Arguments.of("http", "404", 10.0, Health.DEGRADED),
        Arguments.of("http", "403", 19.9, Health.DEGRADED),
        Arguments.of("http", "403", 20.0, Health.FAILURE),
        // grpc statuses 1..16: degraded above 0%, failure from 10%
        Arguments.of("grpc", "14", 0.5, Health.DEGRADED),
        Arguments.of("grpc", "2", 10.0, Health.FAILURE),
        Arguments.of("grpc", "16", 50.0, Health.FAILURE),
        // a gRPC edge is judged by gRPC statuses; 5XX is an http tolerance
        Arguments.of("grpc", "503", 50.0, Health.HEALTHY),
        // no response ("-"): degraded above 0%, failure from 10%, for both protocols
        Arguments.of("http", "-", 1.0, Health.DEGRADED),
        Arguments.of("grpc", "-", 10.0, Health.FAILURE));
  }

  @ParameterizedTest(name = "{0} {1} at {2}% -> {3}")
  @MethodSource("kialiTolerances")
  void errorShareAgainstKialisDefaultTolerances(String protocol, String code, double percent,
      Health expected) {
    Map<String, Double> rates = new HashMap<>();
    rates.put(code, percent);
    rates.merge(protocol.equals("grpc") ? "0" : "200", 100 - percent, Double::sum);

    assertThat(Health.of(protocol, rates)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} response_code={1} grpc_response_status={2} -> {3}")
  @MethodSource("codes")
  void codeAsKialiShowsIt(String protocol, String responseCode, String grpcStatus, String shown) {
    assertThat(Health.code(protocol, responseCode, grpcStatus)).isEqualTo(shown);
  }

  static Stream<Arguments> codes() {
    return Stream.of(
        Arguments.of("http", "0", "", "-"),
        Arguments.of("grpc", "0", "14", "-"),
        Arguments.of("http", "503", "", "503"),
        Arguments.of("grpc", "200", "5", "5"),
        Arguments.of("grpc", "503", "14", "503"),
        Arguments.of("grpc", "200", "", "200"));
  }

  @ParameterizedTest(name = "{0} {1} is an error: {2}")
  @MethodSource("errors")
  void errorShareCountsNoResponse5xxAndGrpcFailures(String protocol, String code,
      boolean error) {
    assertThat(Health.isError(protocol, code)).isEqualTo(error);
  }

  static Stream<Arguments> errors() {
    return Stream.of(Arguments.of("http", "-", true), Arguments.of("http", "500", true),
        Arguments.of("http", "404", false), Arguments.of("http", "200", false),
        Arguments.of("grpc", "14", true), Arguments.of("grpc", "0", false),
        Arguments.of("grpc", "503", true));
  }
}
