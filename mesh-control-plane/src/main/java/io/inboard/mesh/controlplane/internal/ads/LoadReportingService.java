package io.inboard.mesh.controlplane.internal.ads;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.service.load_stats.v3.LoadReportingServiceGrpc;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal LRS server ({@code envoy.service.load_stats.v3.LoadReportingService}): it asks every
 * client for the loads of all its clusters every {@link #REPORT_INTERVAL}, and keeps the latest
 * report of each node while its stream is open.
 *
 * <p>Why the control plane serves this at all: grpc-java (1.85) counts a cluster's requests in
 * flight only when the cluster names an LRS server ({@code ClusterImplLoadBalancer} creates its
 * counting stream tracer only with load stats), so {@code circuit_breakers.max_requests} sheds
 * nothing without one. Clusters with a request limit therefore name this server ({@code
 * lrs_server: {self: {}}}, the only form grpc-xds accepts), and it must answer, or every client
 * would keep retrying the stream with backoff.
 */
public final class LoadReportingService extends LoadReportingServiceGrpc.LoadReportingServiceImplBase {
  /** How often clients report: rarely, since reports are only kept for inspection. */
  static final Duration REPORT_INTERVAL = Duration.newBuilder().setSeconds(10).build();

  private final Map<String, List<ClusterStats>> latest = new ConcurrentHashMap<>();

  @Override
  public StreamObserver<LoadStatsRequest> streamLoadStats(
      StreamObserver<LoadStatsResponse> responses) {
    return new StreamObserver<>() {
      // only a stream's first request carries the node
      private String nodeId;

      @Override
      public void onNext(LoadStatsRequest request) {
        if (nodeId == null) {
          nodeId = request.getNode().getId();
          // one answer is enough: the client keeps reporting at this interval until told otherwise
          responses.onNext(LoadStatsResponse.newBuilder().setSendAllClusters(true)
              .setLoadReportingInterval(REPORT_INTERVAL).build());
        }
        if (request.getClusterStatsCount() > 0) {
          latest.put(nodeId, List.copyOf(request.getClusterStatsList()));
        }
      }

      @Override
      public void onError(Throwable t) {
        forget();
      }

      @Override
      public void onCompleted() {
        forget();
        responses.onCompleted();
      }

      private void forget() {
        if (nodeId != null) {
          latest.remove(nodeId);
        }
      }
    };
  }

  /** Per node id, the cluster loads of its latest non-empty report, while its stream is open. */
  public Map<String, List<ClusterStats>> latestReports() {
    return Map.copyOf(latest);
  }
}
