package io.inboard.mesh.controlplane.internal.translate;

import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.controlplane.internal.model.WeightedDestination;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link RouteInputs} that note every answer they give: the routes built through them are
 * still right for another configuration when each noted read answers the same there ({@link
 * #holdIn}). Not thread-safe: one per service and translation.
 */
final class RouteReads implements RouteInputs {
  private final RouteInputs in;
  private final Set<Read> reads = new LinkedHashSet<>();

  RouteReads(RouteInputs in) {
    this.in = in;
  }

  /** The reads made so far, each once. */
  List<Read> reads() {
    return List.copyOf(reads);
  }

  /** Whether every one of {@code reads} answers the same in {@code in}. */
  static boolean holdIn(List<Read> reads, RouteInputs in) {
    for (Read r : reads) {
      if (!r.holdsIn(in)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String clusterOf(WeightedDestination d, int listenerPort) {
    String cluster = in.clusterOf(d, listenerPort);
    reads.add(new ClusterRead(d, listenerPort, cluster));
    return cluster;
  }

  @Override
  public Optional<LoadBalancerPolicy> loadBalancerOf(String fqdn, String subset) {
    Optional<LoadBalancerPolicy> lb = in.loadBalancerOf(fqdn, subset);
    reads.add(new LoadBalancerRead(fqdn, subset, lb));
    return lb;
  }

  @Override
  public MeshClusters.Split splitOf(String cluster) {
    MeshClusters.Split split = in.splitOf(cluster);
    reads.add(new SplitRead(cluster, split));
    return split;
  }

  @Override
  public boolean isEmpty(String cluster) {
    boolean empty = in.isEmpty(cluster);
    reads.add(new EmptyRead(cluster, empty));
    return empty;
  }

  /** One read and its answer. */
  sealed interface Read {
    boolean holdsIn(RouteInputs in);
  }

  private record ClusterRead(WeightedDestination d, int port, String cluster) implements Read {
    @Override
    public boolean holdsIn(RouteInputs in) {
      return cluster.equals(in.clusterOf(d, port));
    }
  }

  private record LoadBalancerRead(String fqdn, String subset, Optional<LoadBalancerPolicy> lb)
      implements Read {
    @Override
    public boolean holdsIn(RouteInputs in) {
      return lb.equals(in.loadBalancerOf(fqdn, subset));
    }
  }

  private record SplitRead(String cluster, MeshClusters.Split split) implements Read {
    @Override
    public boolean holdsIn(RouteInputs in) {
      return Objects.equals(split, in.splitOf(cluster));
    }
  }

  private record EmptyRead(String cluster, boolean empty) implements Read {
    @Override
    public boolean holdsIn(RouteInputs in) {
      return empty == in.isEmpty(cluster);
    }
  }
}
