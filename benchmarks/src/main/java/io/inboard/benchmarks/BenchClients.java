package io.inboard.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.inboard.mesh.grpc.XdsChannels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N separate xDS clients in this JVM, each as a workload of its own would be: its own node id and
 * its own {@link XdsChannels} (mesh-grpc gives every instance a fresh grpc-xds client pool key, so
 * each holds its own ADS stream on its own connection to the control plane), and one channel to
 * the benchmark service.
 */
final class BenchClients implements AutoCloseable {
  private final List<XdsChannels> xds = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<String> nodeIds = new ArrayList<>();

  /**
   * Connects {@code count} clients named {@code <prefix>-<i>} and makes one call from each. The
   * call is what makes a client subscribe to everything: the channel's resolver asks for the
   * listener (LDS), then its route (RDS), its clusters (CDS) and their endpoints (EDS).
   */
  static BenchClients connect(String xdsAddress, String target, String prefix, int count) {
    BenchClients c = new BenchClients();
    for (int i = 0; i < count; i++) {
      String nodeId = prefix + "-" + i;
      XdsChannels x = XdsChannels.forControlPlane(xdsAddress).nodeId(nodeId)
          .metadata("NAMESPACE", "default").metadata("WORKLOAD_NAME", nodeId).build();
      c.xds.add(x);
      c.channels.add(x.channel(target));
      c.nodeIds.add(nodeId);
    }
    // every client starts resolving before the first call waits, so they come up in parallel
    c.channels.forEach(ch -> ch.getState(true));
    for (ManagedChannel ch : c.channels) {
      HealthGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
    }
    return c;
  }

  List<String> nodeIds() {
    return nodeIds;
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    for (ManagedChannel ch : channels) {
      ch.awaitTermination(5, TimeUnit.SECONDS);
    }
    xds.forEach(XdsChannels::close);
  }
}
