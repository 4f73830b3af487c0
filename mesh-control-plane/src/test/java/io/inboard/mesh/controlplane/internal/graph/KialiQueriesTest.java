package io.inboard.mesh.controlplane.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The queries, character for character, as observability.md §2 gives Kiali's. */
class KialiQueriesTest {
  private static final String G = "source_cluster,source_workload_namespace,source_workload,"
      + "source_canonical_service,source_canonical_revision,destination_cluster,"
      + "destination_service_namespace,destination_service,destination_service_name,"
      + "destination_workload_namespace,destination_workload,destination_canonical_service,"
      + "destination_canonical_revision,request_protocol,response_code,grpc_response_status,"
      + "response_flags";
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  @Test
  void groupsByKialisLabelSet() {
    assertThat(KialiQueries.G).isEqualTo(G);
  }

  @Test
  void requestsThatFailedBeforeReachingADestination() {
    assertThat(KialiQueries.unservedIncoming("bookinfo", TEN_MINUTES)).isEqualTo(
        "sum(rate(istio_requests_total{reporter=\"source\",source_workload_namespace!="
            + "\"bookinfo\",destination_workload_namespace=\"unknown\",destination_workload="
            + "\"unknown\",destination_service=~\"^.+\\\\.bookinfo\\\\..+$\"}[600s])) by ("
            + G + ") > 0");
  }

  @Test
  void incomingFromTheDestinationReporter() {
    assertThat(KialiQueries.incoming("bookinfo", TEN_MINUTES)).isEqualTo(
        "sum(rate(istio_requests_total{reporter=\"destination\",destination_workload_namespace="
            + "\"bookinfo\"}[600s])) by (" + G + ") > 0");
  }

  @Test
  void outgoingFromTheSourceReporter() {
    assertThat(KialiQueries.outgoing("default", Duration.ofSeconds(60))).isEqualTo(
        "sum(rate(istio_requests_total{reporter=\"source\",source_workload_namespace="
            + "\"default\"}[60s])) by (" + G + ") > 0");
  }

  @Test
  void mtlsFromTheDestinationReporterWithPrincipalsAndPolicy() {
    assertThat(KialiQueries.security("default", Duration.ofSeconds(60))).isEqualTo(
        "sum(rate(istio_requests_total{reporter=\"destination\",destination_workload_namespace="
            + "\"default\"}[60s])) by (" + G + ",source_principal,destination_principal,"
            + "connection_security_policy) > 0");
  }

  @Test
  void p95FromTheDestinationReportersBuckets() {
    assertThat(KialiQueries.responseTime("default", Duration.ofSeconds(60))).isEqualTo(
        "histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket{"
            + "reporter=\"destination\",destination_service_namespace=\"default\"}[60s])) by (le,"
            + "source_cluster,source_workload_namespace,source_workload,source_canonical_service,"
            + "source_canonical_revision,destination_cluster,destination_service_namespace,"
            + "destination_service,destination_service_name,destination_workload_namespace,"
            + "destination_workload,destination_canonical_service,destination_canonical_revision"
            + ")) > 0");
  }
}
