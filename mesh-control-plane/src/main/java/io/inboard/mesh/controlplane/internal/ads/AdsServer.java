package io.inboard.mesh.controlplane.internal.ads;

import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.inboard.mesh.api.internal.NodeMetadataKeys;
import io.inboard.mesh.controlplane.internal.translate.XdsResources;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Serves ADS (state of the world, v3) with java-control-plane, and LRS on the same port (see
 * {@link LoadReportingService}).
 *
 * <p><b>Groups.</b> Nodes are grouped by the namespace and labels they announce in their node
 * metadata ({@code NAMESPACE}, and {@code LABELS} with string values only): the group is the
 * canonical, sorted {@code k=v,...} of those labels, then {@code |namespace} when one is
 * announced (see {@link #group}); {@code ""} for a node with neither or a request without a
 * node. Each group is served its own snapshot, because VirtualService matches with {@code
 * sourceLabels} apply only to callers carrying those labels, and each workload's inbound
 * listener follows the PeerAuthentications of its namespace and labels. A snapshot is kept for every group
 * with an open stream, plus {@code ""}; a group's snapshot is built when its first stream sends
 * its first request, before java-control-plane opens the watch, so that a node with a new label
 * set is answered at once rather than at the next publish.
 *
 * <p><b>Versions.</b> Each type has its own version, kept as long as the type's resources do not
 * change (see {@link SnapshotSharing}): a change re-sends only the types it touched, to the
 * groups whose resources it touched. Groups served equal resources share the same message
 * instances. Versions read {@code <instance>-<n>}: a random id per instance, then a counter of
 * distinct contents. A client re-sends the version it holds when it reconnects, and the cache
 * pushes nothing while a client's version equals the one it serves. With a bare counter, a
 * restarted control plane would reach the same number with different config, and a client
 * holding that number would never be updated.
 *
 * <p>State of the world is answered in full for every type: RDS and EDS could carry only the
 * changed resources, but java-control-plane 1.0.49 takes the names of the last response as
 * what the client knows, so the ACK of a partial response would look like new subscriptions
 * and be answered at once with everything.
 */
public final class AdsServer implements AutoCloseable {
  private static final String NO_LABELS = "";

  /**
   * The group of the stream whose request is being handled on this thread. Envoy (and raw xDS
   * clients) send the node on a stream's first request only; the cache hashes each request's
   * own node, so a later request without one is put in its stream's group through this, set by
   * the request callback that java-control-plane runs on the same thread just before it opens
   * the request's watch. grpc-xds sends the node on every request.
   */
  private static final ThreadLocal<String> STREAM_GROUP = ThreadLocal.withInitial(() -> "");

  private final SimpleCache<String> cache = new AdsSnapshotCache(
      node -> node.equals(Node.getDefaultInstance()) ? STREAM_GROUP.get() : group(node));
  private final String instance =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  private final SnapshotSharing sharing = new SnapshotSharing(instance);
  private final AtomicLong publications = new AtomicLong();
  private final LoadReportingService loadReports = new LoadReportingService();
  private final Server server;
  private final ExecutorService executor;
  // guarded by this
  private final Map<Long, String> streamGroups = new HashMap<>();
  private final Map<String, WorkloadGroup> groups = new HashMap<>();
  private Function<WorkloadGroup, XdsResources> config;
  private volatile Runnable onNewSubscription = () -> {};
  // guarded by this: each stream's subscribed names, by type URL
  private final Map<Long, Map<String, List<String>>> subscriptions = new HashMap<>();

  /**
   * Binds {@code host:port} ({@code port} 0 picks a free one) and starts serving; {@code
   * callbacks} hear of every stream, request and response.
   */
  public AdsServer(String host, int port, DiscoveryServerCallbacks callbacks) throws IOException {
    AtomicInteger threads = new AtomicInteger();
    executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        r -> {
          Thread t = new Thread(r, "inboard-ads-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    groups.put(NO_LABELS, WorkloadGroup.NONE);
    // the cached serializer packs each message instance once (weak identity keys): groups and
    // publications share instances (SnapshotSharing), so 500 clients served the same resources
    // cost one serialization, not 500
    V3DiscoveryServer discovery = new V3DiscoveryServer(List.of(new Grouping(callbacks)), cache,
        new DefaultExecutorGroup(), new CachedProtoResourcesSerializer());
    server = NettyServerBuilder
        .forAddress(new InetSocketAddress(host, port), InsecureServerCredentials.create())
        // grpc's default, a cached pool, starts a thread per stream whose request is being
        // handled: 500 clients ACKing one push made 500 threads. Handling a request is short and
        // never waits on another request, so a pool per CPU serves them all.
        .executor(executor)
        .addService(discovery.getAggregatedDiscoveryServiceImpl())
        .addService(loadReports)
        .build().start();
  }

  /** Whether ADS is being served (true from construction until {@link #close}). */
  public boolean serving() {
    return !server.isShutdown();
  }

  public int port() {
    return server.getPort();
  }

  /** The load reports clients send, kept for inspection. */
  public LoadReportingService loadReports() {
    return loadReports;
  }

  /**
   * Runs {@code hook} on every request that opens a stream or changes what a stream subscribes
   * to (not on ACKs and NACKs), before it is answered, on the request's thread and under no lock
   * of this server: the control plane then publishes a change that waits out its debounce, so
   * that a client that connects, or a channel that starts to watch a service, gets what was
   * applied before.
   */
  public void onNewSubscription(Runnable hook) {
    this.onNewSubscription = hook;
  }

  /** Replaces what every client is served with {@code r}, whatever its labels. */
  public String publish(XdsResources r) {
    return publish(labels -> r);
  }

  /**
   * Replaces what clients are served: each group gets {@code config} applied to its namespace
   * and labels. A type's version changes exactly when its resources do, because the cache
   * pushes nothing to a client that already holds the version it offers, and re-sends the
   * whole type to every client whose version differs. {@code config} is kept, to build the
   * snapshot of groups that connect later, so it must capture an immutable configuration.
   *
   * @return an id of this publication, for logs: {@code <instance>#<n>}
   */
  public synchronized String publish(Function<WorkloadGroup, XdsResources> config) {
    this.config = config;
    sharing.nextPublication();
    Set<String> live = new TreeSet<>(streamGroups.values());
    live.add(NO_LABELS);
    groups.keySet().retainAll(live);
    for (String g : live) {
      setSnapshot(g);
    }
    for (String g : List.copyOf(cache.groups())) {
      if (!live.contains(g)) {
        cache.clearSnapshot(g);
      }
    }
    return instance + "#" + publications.incrementAndGet();
  }

  /** The snapshot served to {@code group} (see {@link #group}), if it has one; for inspection. */
  public Optional<Snapshot> snapshot(String group) {
    return Optional.ofNullable(cache.getSnapshot(group));
  }

  private void setSnapshot(String group) {
    XdsResources r = config.apply(groups.getOrDefault(group, WorkloadGroup.NONE));
    cache.setSnapshot(group, sharing.snapshot(r));
  }

  /** Notes {@code streamId}'s group and builds the group's snapshot if it has none yet. */
  private synchronized void joined(long streamId, Node node) {
    String group = group(node);
    if (group.equals(streamGroups.put(streamId, group))) {
      return;
    }
    groups.computeIfAbsent(group, g -> new WorkloadGroup(namespace(node), labels(node)));
    if (config != null && cache.getSnapshot(group) == null) {
      setSnapshot(group);
    }
  }

  /** Notes what {@code request} subscribes to; returns whether that differs from before. */
  private synchronized boolean subscribes(long streamId, DiscoveryRequest request) {
    List<String> names = request.getResourceNamesList();
    List<String> before = subscriptions.computeIfAbsent(streamId, id -> new HashMap<>())
        .put(request.getTypeUrl(), names);
    return !names.equals(before);
  }

  private synchronized String groupOf(long streamId) {
    return streamGroups.getOrDefault(streamId, NO_LABELS);
  }

  private synchronized void left(long streamId) {
    streamGroups.remove(streamId);
    subscriptions.remove(streamId);
  }

  /**
   * The group of {@code node}: its {@code LABELS} metadata as sorted {@code k=v} pairs joined
   * by commas, then {@code |} and its {@code NAMESPACE} when it names one ({@code \}, {@code
   * ,}, {@code =} and {@code |} escaped with {@code \}); {@code ""} when it has neither.
   */
  public static String group(Node node) {
    StringBuilder b = new StringBuilder();
    labels(node).forEach((k, v) -> {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(escape(k)).append('=').append(escape(v));
    });
    String namespace = namespace(node);
    if (!namespace.isEmpty()) {
      b.append('|').append(escape(namespace));
    }
    return b.toString();
  }

  private static String namespace(Node node) {
    Value ns = node.getMetadata().getFieldsMap().get(NodeMetadataKeys.NAMESPACE);
    return ns != null && ns.hasStringValue() ? ns.getStringValue().trim() : "";
  }

  private static Map<String, String> labels(Node node) {
    Value labels = node.getMetadata().getFieldsMap().get(NodeMetadataKeys.LABELS);
    Map<String, String> out = new TreeMap<>();
    if (labels != null && labels.hasStructValue()) {
      labels.getStructValue().getFieldsMap().forEach((k, v) -> {
        if (v.hasStringValue()) {
          out.put(k, v.getStringValue());
        }
      });
    }
    return out;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")
        .replace("|", "\\|");
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    executor.shutdownNow();
  }

  /** Tracks each stream's group, then hands every event on. */
  private final class Grouping implements DiscoveryServerCallbacks {
    private final DiscoveryServerCallbacks delegate;

    Grouping(DiscoveryServerCallbacks delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onStreamOpen(long streamId, String typeUrl) throws RequestException {
      delegate.onStreamOpen(streamId, typeUrl);
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
      left(streamId);
      delegate.onStreamClose(streamId, typeUrl);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
      left(streamId);
      delegate.onStreamCloseWithError(streamId, typeUrl, error);
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request)
        throws RequestException {
      // runs before the server opens the request's watch, which needs the group's snapshot
      if (subscribes(streamId, request)) {
        onNewSubscription.run();
      }
      if (request.hasNode() && !request.getNode().equals(Node.getDefaultInstance())) {
        joined(streamId, request.getNode());
      }
      STREAM_GROUP.set(groupOf(streamId));
      delegate.onV3StreamRequest(streamId, request);
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request)
        throws RequestException {
      delegate.onV3StreamDeltaRequest(streamId, request);
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request,
        DiscoveryResponse response) {
      delegate.onV3StreamResponse(streamId, request, response);
    }

    @Override
    public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request,
        DeltaDiscoveryResponse response) {
      delegate.onV3StreamDeltaResponse(streamId, request, response);
    }
  }
}
