package io.inboard.examples.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadOptionsTest {

  @Test
  void defaultsFollowIstiosBookinfoAndTheEnvironment() {
    WorkloadOptions o = WorkloadOptions.parse(List.of(),
        Map.of("INSTANCE_IP", "10.1.2.3", "POD_NAMESPACE", "shop"));

    assertThat(o.instanceIp()).isEqualTo("10.1.2.3");
    assertThat(o.bind()).isEqualTo("10.1.2.3");
    assertThat(o.port()).isEqualTo(9080);
    assertThat(o.adminPort()).isEqualTo(15020);
    assertThat(o.controlPlanes()).containsExactly("127.0.0.1:15010");
    assertThat(o.namespace()).isEqualTo("shop");
    assertThat(o.failPercent()).isZero();
  }

  @Test
  void optionsOverrideDefaults() {
    WorkloadOptions o = WorkloadOptions.parse(List.of("--ip", "127.0.0.4", "--bind", "0.0.0.0",
        "--port", "9090", "--admin-port", "0", "--control-plane", "a:15010,b:15010",
        "--fail-percent", "50"), Map.of());

    assertThat(o).isEqualTo(new WorkloadOptions("0.0.0.0", "127.0.0.4", 9090, 0,
        List.of("a:15010", "b:15010"), "default", 50, 0, null));
  }

  @Test
  void identityOptionsComeTogether() {
    WorkloadOptions o = WorkloadOptions.parse(List.of("--ca-address", "127.0.0.1:15012",
        "--identity-token-file", "/tmp/t", "--ca-root-cert", "/tmp/r.pem"), Map.of());
    assertThat(o.identity()).isEqualTo(new WorkloadOptions.Identity("127.0.0.1:15012",
        java.nio.file.Path.of("/tmp/t"), java.nio.file.Path.of("/tmp/r.pem")));

    assertThatThrownBy(() -> WorkloadOptions.parse(List.of("--ca-address", "127.0.0.1:15012"),
        Map.of())).hasMessageStartingWith("--ca-address, --identity-token-file, --ca-root-cert: "
            + "only some given");
  }

  @Test
  void badOptionsNameTheOptionTheValueAndWhatWasExpected() {
    assertThatThrownBy(() -> WorkloadOptions.parse(List.of("--port", "http"), Map.of()))
        .hasMessage("--port: 'http' (expected: an integer 1..65535)");
    assertThatThrownBy(() -> WorkloadOptions.parse(List.of("--fail-percent", "150"), Map.of()))
        .hasMessage("--fail-percent: '150' (expected: an integer 0..100)");
    assertThatThrownBy(() -> WorkloadOptions.parse(List.of("--colour", "red"), Map.of()))
        .hasMessageStartingWith("'--colour': unknown option (usage: bookinfo WORKLOAD");
    assertThatThrownBy(() -> WorkloadOptions.parse(List.of("--ip"), Map.of()))
        .hasMessageStartingWith("--ip: no value");
  }

  @Test
  void workloadsAreNamedAsInIstio_andAnUnknownOneListsThem() {
    assertThat(Workload.named("reviews-v2")).isEqualTo(Workload.REVIEWS_V2);
    assertThat(Workload.REVIEWS_V2.serviceAccount()).isEqualTo("bookinfo-reviews");
    assertThat(Workload.REVIEWS_V2.protocol().portName()).isEqualTo("grpc");
    assertThat(Workload.DETAILS_V1.protocol().portName()).isEqualTo("http");
    assertThatThrownBy(() -> Workload.named("reviews-v4")).hasMessage("workload: 'reviews-v4'"
        + " (expected one of: productpage-v1, details-v1, reviews-v1, reviews-v2, reviews-v3,"
        + " ratings-v1)");
  }

  @Test
  void onlyRatingsCanFail_andOnlyDetailsCanBeSlowed() {
    WorkloadOptions o = WorkloadOptions.at("127.0.0.9", 9080, -1, "127.0.0.1:1");
    assertThatThrownBy(() -> Workloads.start(Workload.DETAILS_V1, o.failing(10)))
        .hasMessage("--fail-percent: 10 for details-v1 (expected: only ratings-v1 can be made"
            + " to fail)");
    assertThatThrownBy(() -> Workloads.start(Workload.RATINGS_V1, o.responseDelay(5)))
        .hasMessage("--response-delay-ms: 5 for ratings-v1 (expected: only details-v1 can be"
            + " slowed)");
  }
}
