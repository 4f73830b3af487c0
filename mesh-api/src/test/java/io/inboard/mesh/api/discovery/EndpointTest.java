package io.inboard.mesh.api.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTest {

  @Test
  void builder_startsReadyServingNotTerminatingWithoutMetadata() {
    assertThat(Endpoint.builder("10.0.0.7", 9080).build())
        .isEqualTo(new Endpoint("10.0.0.7", 9080, true, true, false, "", "", Map.of()))
        .isEqualTo(Endpoint.ready("10.0.0.7", 9080));
  }

  @Test
  void builder_setsEachField() {
    Endpoint e = Endpoint.builder("10.0.0.8", 9080).ready(false).serving(true).terminating(true)
        .podName("reviews-v2-abc").zone("zone-a").labels(Map.of("version", "v2")).build();
    assertThat(e).isEqualTo(new Endpoint("10.0.0.8", 9080, false, true, true, "reviews-v2-abc",
        "zone-a", Map.of("version", "v2")));
  }

  @Test
  void build_portOutOfRange_namesFieldValueAndExpectation() {
    assertThatThrownBy(() -> Endpoint.builder("10.0.0.7", 70000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 70000 (expected: 1..65535)");
  }
}
