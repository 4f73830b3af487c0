package io.inboard.mesh.controlplane.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void readsSamplesOfTheAskedMetrics_withLabelsUnescaped() {
    String text = """
        # HELP istio_requests_total Requests
        # TYPE istio_requests_total counter
        istio_requests_total{reporter="destination",source_workload="a\\\\b",destination_workload="say \\"hi\\"\\n"} 42 1700000000000
        process_cpu_seconds_total 7.5
        istio_request_duration_milliseconds_bucket{le="+Inf",reporter="source"} 3
        istio_request_duration_milliseconds_bucket{le="0.5" , reporter="source",} 1.0e0
        """;

    List<MetricSample> samples = PrometheusText.parse(text, ScrapeHistory.METRICS);

    assertThat(samples).containsExactly(
        new MetricSample("istio_requests_total", Map.of("reporter", "destination",
            "source_workload", "a\\b", "destination_workload", "say \"hi\"\n"), 42),
        new MetricSample("istio_request_duration_milliseconds_bucket",
            Map.of("le", "+Inf", "reporter", "source"), 3),
        new MetricSample("istio_request_duration_milliseconds_bucket",
            Map.of("le", "0.5", "reporter", "source"), 1));
  }

  @Test
  void readsSpecialValuesAndLabelFreeSamples() {
    List<MetricSample> samples = PrometheusText.parse("a NaN\nb +Inf\nc -Inf\nd{} 2\n",
        Set.of("a", "b", "c", "d"));

    assertThat(samples).extracting(MetricSample::value)
        .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.0);
  }

  @Test
  void badLine_namesLineColumnAndExpectation() {
    assertThatThrownBy(() -> PrometheusText.parse("# ok\nistio_requests_total{reporter=\"x} 1\n",
        ScrapeHistory.METRICS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 2, column ")
        .hasMessageContaining("expected: a closing quote");
    assertThatThrownBy(() -> PrometheusText.parse("istio_requests_total{reporter=\"x\"} one\n",
        ScrapeHistory.METRICS))
        .hasMessageContaining("line 1").hasMessageContaining("not 'one'");
  }
}
