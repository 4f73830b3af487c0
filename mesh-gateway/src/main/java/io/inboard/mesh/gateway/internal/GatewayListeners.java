package io.inboard.mesh.gateway.internal;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.http.internal.xds.XdsHttp;
import io.netty.channel.EventLoopGroup;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's listeners as the control plane lists them: watches the index Listener
 * {@value MeshXdsNames#GATEWAY_LISTENERS}, whose {@code metadata.filter_metadata["}{@value
 * MeshXdsNames#METADATA_FILTER}{@code "]["}{@value MeshXdsNames#GATEWAY_LISTENER_NAMES}{@code
 * "]} lists the listener names; watches each listed listener and binds its port; drains and
 * closes a listener the index stops listing. A changed listener on the same port is swapped in
 * place (the port stays bound); on another port it is bound anew before the old one drains.
 * A listener that cannot be compiled or bound is logged, the others keep serving, and the
 * gateway is not ready.
 *
 * <p>All changes run on one thread of their own (binding blocks briefly), never the xDS one.
 */
public final class GatewayListeners implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatewayListeners.class);

  /** What the gateway reports when a port opens or closes. */
  public interface Events {
    void opened(String listener, int port, int boundPort, boolean tls);

    void closed(String listener, int port, int boundPort, boolean tls);
  }

  private final XdsHttp xds;
  private final EventLoopGroup group;
  private final String bindHost;
  private final ExecutorService thread;
  private final Events events;
  private final java.util.function.Supplier<MeshTracing> tracing;
  private final Runnable cancelIndex;
  // confined to `thread`
  private final Map<String, Runnable> watches = new HashMap<>();
  private final Map<String, ListenerServer> servers = new HashMap<>();
  private final Map<String, String> failures = new TreeMap<>();
  private Set<String> listed = Set.of();
  private boolean indexSeen;
  // read by health checks
  private volatile boolean ready;
  private volatile Map<Integer, Integer> ports = Map.of();

  /** @param tracing the mesh's tracing (read per listener change: telemetry may be replaced) */
  public GatewayListeners(XdsHttp xds, EventLoopGroup group, String bindHost,
      ExecutorService thread, Events events, java.util.function.Supplier<MeshTracing> tracing) {
    this.xds = xds;
    this.tracing = tracing;
    this.group = group;
    this.bindHost = bindHost;
    this.thread = thread;
    this.events = events;
    this.cancelIndex = xds.watchListener(MeshXdsNames.GATEWAY_LISTENERS,
        l -> thread.execute(() -> onIndex(l)),
        () -> thread.execute(() -> onIndex(Listener.getDefaultInstance())));
    thread.execute(this::scheduleReloads);
  }

  /** Whether the index was received and every listener it lists is bound. */
  public boolean ready() {
    return ready;
  }

  /** Server port → bound local port, for the listeners open now. */
  public Map<Integer, Integer> listeningPorts() {
    return ports;
  }

  /**
   * What {@code /debug/config_dump} shows under {@code gateway}: the listeners the index lists,
   * each open one's port and bound port, and why the others are not served.
   */
  public Map<String, Object> dump() {
    if (thread.isShutdown()) {
      return Map.of("closed", true);
    }
    return runOnThread(() -> {
      Map<String, Object> open = new TreeMap<>();
      servers.forEach((n, s) -> open.put(n, Map.of("port", s.config().port(),
          "boundPort", s.localPort(), "tls", s.config().tls())));
      return Map.of("indexReceived", indexSeen, "listed", List.copyOf(listed),
          "listening", open, "failures", Map.copyOf(failures), "ready", ready);
    });
  }

  /** Why listeners are not served, by name (empty when all are). */
  public Map<String, String> failures() {
    return runOnThread(() -> Map.copyOf(failures));
  }

  private void onIndex(Listener index) {
    Set<String> names = new LinkedHashSet<>();
    Value v = index.getMetadata().getFilterMetadataOrDefault(MeshXdsNames.METADATA_FILTER,
        Struct.getDefaultInstance()).getFieldsOrDefault(MeshXdsNames.GATEWAY_LISTENER_NAMES, null);
    if (v != null) {
      for (Value n : v.getListValue().getValuesList()) {
        names.add(n.getStringValue());
      }
    }
    for (String gone : Set.copyOf(watches.keySet())) {
      if (!names.contains(gone)) {
        watches.remove(gone).run();
        failures.remove(gone);
        ListenerServer s = servers.remove(gone);
        if (s != null) {
          drain(gone, s);
        }
      }
    }
    for (String name : names) {
      if (!watches.containsKey(name)) {
        watches.put(name, xds.watchListener(name,
            l -> thread.execute(() -> onListener(name, l)),
            () -> thread.execute(() -> onRemoved(name))));
      }
    }
    listed = names;
    indexSeen = true;
    publish();
  }

  private void onListener(String name, Listener l) {
    if (!listed.contains(name)) {
      return;
    }
    ListenerConfig cfg;
    try {
      cfg = ListenerConfig.compile(l, xds, tracing.get());
    } catch (RuntimeException e) {
      failures.put(name, e.getMessage());
      log.warn("gateway listener '{}' not applied, keeping the last good one: {}", name,
          e.getMessage());
      publish();
      return;
    }
    apply(name, cfg);
  }

  private void apply(String name, ListenerConfig cfg) {
    ListenerServer old = servers.get(name);
    if (old != null && old.config().port() == cfg.port() && old.config().tls() == cfg.tls()) {
      ListenerConfig previous = old.config();
      old.update(cfg);
      previous.release(xds);
      failures.remove(name);
      publish();
      return;
    }
    ListenerServer s;
    try {
      s = ListenerServer.bind(group, bindHost, cfg);
    } catch (Exception e) {
      String why = "listener '" + name + "' cannot bind " + bindHost + ":" + cfg.port() + ": " + e;
      cfg.release(xds);
      failures.put(name, why);
      log.error("gateway {}", why);
      publish();
      return;
    }
    servers.put(name, s);
    failures.remove(name);
    if (old != null) {
      drain(name, old);
    }
    publish();
    events.opened(name, cfg.port(), s.localPort(), cfg.tls());
  }

  private void onRemoved(String name) {
    ListenerServer s = servers.remove(name);
    if (s != null) {
      drain(name, s);
    }
    publish();
  }

  private void drain(String name, ListenerServer s) {
    int bound = s.localPort();
    ListenerConfig cfg = s.config();
    s.drain().whenComplete((v, e) -> events.closed(name, cfg.port(), bound, cfg.tls()));
    cfg.release(xds);
    publish();
  }

  private void publish() {
    Map<Integer, Integer> p = new TreeMap<>();
    servers.values().forEach(s -> p.put(s.config().port(), s.localPort()));
    ports = Map.copyOf(p);
    ready = indexSeen && servers.keySet().containsAll(listed);
  }

  /** Re-reads certificate files that changed, every 5 s. */
  private void scheduleReloads() {
    if (thread.isShutdown()) {
      return;
    }
    for (Map.Entry<String, ListenerServer> e : Map.copyOf(servers).entrySet()) {
      ListenerConfig c = e.getValue().config();
      if (!c.files().isEmpty() && TlsFiles.modified(c.files())) {
        log.info("gateway listener '{}': certificate files changed, reloading", e.getKey());
        onListener(e.getKey(), c.source());
      }
    }
    group.schedule(() -> {
      try {
        thread.execute(this::scheduleReloads);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // the gateway is closing
      }
    }, 5, TimeUnit.SECONDS);
  }

  private <T> T runOnThread(java.util.concurrent.Callable<T> c) {
    try {
      return thread.submit(c).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("gateway listener thread: " + e, e);
    }
  }

  /** Stops watching and closes every port, in-flight requests drained. */
  @Override
  public void close() {
    cancelIndex.run();
    List<java.util.concurrent.CompletableFuture<Void>> drained = runOnThread(() -> {
      watches.values().forEach(Runnable::run);
      watches.clear();
      List<java.util.concurrent.CompletableFuture<Void>> l = new java.util.ArrayList<>();
      servers.forEach((n, s) -> {
        int bound = s.localPort();
        ListenerConfig cfg = s.config();
        l.add(s.drain().whenComplete((v, e) -> events.closed(n, cfg.port(), bound, cfg.tls())));
        cfg.release(xds);
      });
      servers.clear();
      ports = Map.of();
      ready = false;
      return l;
    });
    drained.forEach(java.util.concurrent.CompletableFuture::join);
  }

}
