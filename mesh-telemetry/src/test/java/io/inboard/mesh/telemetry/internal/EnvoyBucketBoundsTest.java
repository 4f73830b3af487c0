package io.inboard.mesh.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvoyBucketBoundsTest {

  @Test
  void rewrite_writesWholeBoundsAsEnvoy_andKeepsFractionsInfAndValues() {
    String prometheusClient = """
        istio_request_duration_milliseconds_bucket{reporter="source",le="0.5"} 0
        istio_request_duration_milliseconds_bucket{reporter="source",le="1.0"} 1
        istio_request_duration_milliseconds_bucket{reporter="source",le="2500.0"} 2
        istio_request_duration_milliseconds_bucket{reporter="source",le="3600000.0"} 3
        istio_request_duration_milliseconds_bucket{reporter="source",le="+Inf"} 3
        istio_request_duration_milliseconds_sum{reporter="source"} 12.0
        x_bucket{le="10.0"} 1.0
        istio_requests_total{destination_service="a,le=\\"1.0\\"",reporter="source"} 5.0
        """;
    assertThat(EnvoyBucketBounds.rewrite(prometheusClient)).isEqualTo("""
        istio_request_duration_milliseconds_bucket{reporter="source",le="0.5"} 0
        istio_request_duration_milliseconds_bucket{reporter="source",le="1"} 1
        istio_request_duration_milliseconds_bucket{reporter="source",le="2500"} 2
        istio_request_duration_milliseconds_bucket{reporter="source",le="3600000"} 3
        istio_request_duration_milliseconds_bucket{reporter="source",le="+Inf"} 3
        istio_request_duration_milliseconds_sum{reporter="source"} 12.0
        x_bucket{le="10"} 1.0
        istio_requests_total{destination_service="a,le=\\"1.0\\"",reporter="source"} 5.0
        """);
  }
}
