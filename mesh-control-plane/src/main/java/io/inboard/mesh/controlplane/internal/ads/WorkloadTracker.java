package io.inboard.mesh.controlplane.internal.ads;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.inboard.mesh.controlplane.Nack;
import io.inboard.mesh.controlplane.WorkloadStatus;
import io.inboard.mesh.controlplane.XdsTypeStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every ADS stream: which node it belongs to (the node is read from the stream's first
 * request that carries one), what each node was sent, and what it ACKed or NACKed. A node with
 * several streams (grpc-xds opens one per channel target) counts as connected until its last
 * stream closes. The listener hears of connects and disconnects outside this tracker's lock,
 * because it may publish config, which calls back into {@link #onV3StreamResponse}.
 */
public final class WorkloadTracker implements DiscoveryServerCallbacks {
  private static final Logger log = LoggerFactory.getLogger(WorkloadTracker.class);
  private static final int MAX_NACKS = 16;

  /** Hears when a node's first stream opens (or its metadata changes) and its last closes. */
  public interface Listener {
    void connected(String nodeId, WorkloadMetadata metadata);

    void disconnected(String nodeId);
  }

  /** What a node was last sent of one type. */
  public record Sent(String typeUrl, String version, List<Any> resources) {}

  private final String defaultNamespace;
  private final String clusterDomain;
  private final Clock clock;
  private volatile Listener listener = new Listener() {
    @Override
    public void connected(String nodeId, WorkloadMetadata metadata) {}

    @Override
    public void disconnected(String nodeId) {}
  };
  private final Map<Long, String> streamNodes = new HashMap<>();
  private final Map<String, Workload> nodes = new LinkedHashMap<>();

  public WorkloadTracker(String defaultNamespace, String clusterDomain, Clock clock) {
    this.defaultNamespace = defaultNamespace;
    this.clusterDomain = clusterDomain;
    this.clock = clock;
  }

  public void listener(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    Runnable notice = () -> {};
    synchronized (this) {
      String nodeId = streamNodes.get(streamId);
      if (nodeId == null) {
        if (!request.hasNode()) {
          return;
        }
        nodeId = request.getNode().getId();
        streamNodes.put(streamId, nodeId);
        WorkloadMetadata metadata = WorkloadMetadata.read(request.getNode().getMetadata(),
            defaultNamespace, clusterDomain);
        Workload w = nodes.computeIfAbsent(nodeId, id -> new Workload(clock.instant()));
        boolean changed = w.openStreams++ == 0 || !metadata.equals(w.metadata);
        if (w.disconnectedAt != null) {
          w.connectedSince = clock.instant();
          w.disconnectedAt = null;
        }
        w.metadata = metadata;
        if (changed) {
          String id = nodeId;
          notice = () -> listener.connected(id, metadata);
        }
      }
      record(nodes.get(nodeId), nodeId, request);
    }
    notice.run();
  }

  private void record(Workload w, String nodeId, DiscoveryRequest request) {
    if (request.getResponseNonce().isEmpty()) {
      return; // a subscription, not a reply to anything sent
    }
    Type t = w.types.computeIfAbsent(request.getTypeUrl(), u -> new Type());
    if (request.hasErrorDetail()) {
      String version = request.getResponseNonce().equals(t.sentNonce) ? t.sentVersion : "?";
      String message = request.getErrorDetail().getMessage();
      log.warn("node {} rejected {} version {}: {}", nodeId, request.getTypeUrl(), version,
          message);
      t.nacks.addLast(new Nack(request.getTypeUrl(), version, request.getResponseNonce(),
          message, clock.instant()));
      if (t.nacks.size() > MAX_NACKS) {
        t.nacks.removeFirst();
      }
    } else {
      t.ackedVersion = request.getVersionInfo();
    }
  }

  @Override
  public synchronized void onV3StreamResponse(long streamId, DiscoveryRequest request,
      DiscoveryResponse response) {
    Workload w = nodes.get(streamNodes.get(streamId));
    if (w != null) {
      Type t = w.types.computeIfAbsent(response.getTypeUrl(), u -> new Type());
      t.sentVersion = response.getVersionInfo();
      t.sentNonce = response.getNonce();
      t.sentResources = List.copyOf(response.getResourcesList());
    }
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  private void closed(long streamId) {
    String nodeId;
    synchronized (this) {
      nodeId = streamNodes.remove(streamId);
      Workload w = nodeId == null ? null : nodes.get(nodeId);
      if (w == null || --w.openStreams > 0) {
        return;
      }
      w.disconnectedAt = clock.instant();
    }
    listener.disconnected(nodeId);
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    // grpc-xds speaks state-of-the-world ADS; delta streams are not served
  }

  /** Drops what is known of {@code nodeId} unless it reconnected; returns whether it did so. */
  public synchronized boolean forgetIfDisconnected(String nodeId) {
    Workload w = nodes.get(nodeId);
    if (w != null && w.openStreams == 0) {
      nodes.remove(nodeId);
      return true;
    }
    return false;
  }

  /** Every known workload, in the order they first connected. */
  public synchronized List<WorkloadStatus> workloads() {
    return nodes.entrySet().stream().map(e -> e.getValue().status(e.getKey())).toList();
  }

  /**
   * The workload {@code key} names: a node id, else {@code WORKLOAD_NAME} or
   * {@code namespace/WORKLOAD_NAME} (the first such to connect).
   */
  public synchronized Optional<String> find(String key) {
    if (nodes.containsKey(key)) {
      return Optional.of(key);
    }
    return nodes.entrySet().stream()
        .filter(e -> key.equals(e.getValue().metadata.name())
            || key.equals(e.getValue().metadata.namespace() + "/" + e.getValue().metadata.name()))
        .map(Map.Entry::getKey).findFirst();
  }

  /** The node metadata of every connected workload, by node id. */
  public synchronized Map<String, WorkloadMetadata> connectedMetadata() {
    Map<String, WorkloadMetadata> connected = new LinkedHashMap<>();
    nodes.forEach((id, w) -> {
      if (w.openStreams > 0) {
        connected.put(id, w.metadata);
      }
    });
    return connected;
  }

  public synchronized Optional<WorkloadStatus> status(String nodeId) {
    return Optional.ofNullable(nodes.get(nodeId)).map(w -> w.status(nodeId));
  }

  /** What {@code nodeId} was last sent, per type URL. */
  public synchronized List<Sent> sent(String nodeId) {
    Workload w = nodes.get(nodeId);
    if (w == null) {
      return List.of();
    }
    return w.types.entrySet().stream()
        .map(e -> new Sent(e.getKey(), e.getValue().sentVersion, e.getValue().sentResources))
        .toList();
  }

  private static final class Workload {
    WorkloadMetadata metadata;
    int openStreams;
    Instant connectedSince;
    Instant disconnectedAt;
    final Map<String, Type> types = new TreeMap<>();

    Workload(Instant now) {
      this.connectedSince = now;
    }

    WorkloadStatus status(String nodeId) {
      Map<String, XdsTypeStatus> xds = new TreeMap<>();
      types.forEach((url, t) -> xds.put(url,
          new XdsTypeStatus(url, t.sentVersion, t.ackedVersion, List.copyOf(t.nacks))));
      WorkloadMetadata m = metadata;
      return new WorkloadStatus(nodeId, m.namespace(), m.name(), m.serviceAccount(), m.labels(),
          m.address(), m.service(), m.ports(), m.endpoints(), connectedSince,
          Optional.ofNullable(disconnectedAt), xds, m.problems());
    }
  }

  private static final class Type {
    String sentVersion = "";
    String sentNonce = "";
    String ackedVersion = "";
    List<Any> sentResources = List.of();
    final Deque<Nack> nacks = new ArrayDeque<>();
  }
}
