package io.inboard.mesh.api.internal;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.HeaderPropagation;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.inbound.InboundGuard;
import io.inboard.mesh.api.internal.telemetry.LocalPeerHeaders;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link io.inboard.mesh.api.Mesh} holds for its sibling modules: discovery, header
 * propagation, admin-server settings, inbound guards, telemetry, {@code /debug/config_dump}
 * sections, the resources it owns and the per-mesh state slots. Reached through
 * {@link InternalMesh}; one per mesh, closed with it.
 */
public final class MeshInternals {

  private static final Logger log = LoggerFactory.getLogger(MeshInternals.class);

  private final String workloadName;
  private final EndpointDiscovery discovery;
  private final HeaderPropagation propagation;
  // made on first use, without the lock: per-call paths read it, and a race makes equal values
  private volatile LocalPeerHeaders peerHeaders;
  private final int adminPort;
  private final boolean adminPortFixed;
  private final List<InboundGuard> inboundGuards;
  private final Map<String, Supplier<?>> configDumpSections = new ConcurrentHashMap<>();
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private final Map<InternalMesh.StateKey<?>, Object> states = new HashMap<>();
  private boolean closed;
  // Set once while the mesh is built, before it reaches the application.
  private volatile MeshTelemetry telemetry = MeshTelemetry.NONE;

  /** For {@code MeshBuilder} only. */
  public MeshInternals(String workloadName, EndpointDiscovery discovery,
      HeaderPropagation propagation, int adminPort, boolean adminPortFixed,
      List<InboundGuard> inboundGuards) {
    this.workloadName = requireNonNull(workloadName, "workloadName");
    this.discovery = requireNonNull(discovery, "discovery");
    this.propagation = requireNonNull(propagation, "propagation");
    this.adminPort = adminPort;
    this.adminPortFixed = adminPortFixed;
    this.inboundGuards = List.copyOf(inboundGuards);
  }

  EndpointDiscovery discovery() {
    return discovery;
  }

  HeaderPropagation propagation() {
    return propagation;
  }

  LocalPeerHeaders peerHeaders(Mesh mesh) {
    LocalPeerHeaders p = peerHeaders;
    if (p == null) {
      List<String> ips = mesh.settings().instanceIps();
      p = LocalPeerHeaders.of(PeerIdentity.of(mesh), ips.isEmpty() ? "" : ips.get(0));
      peerHeaders = p;
    }
    return p;
  }

  int adminPort() {
    return adminPort;
  }

  boolean adminPortFixed() {
    return adminPortFixed;
  }

  List<InboundGuard> inboundGuards() {
    return inboundGuards;
  }

  /** Where requests are recorded, and the admin server ({@link MeshTelemetry#NONE} if none). */
  public MeshTelemetry telemetry() {
    return telemetry;
  }

  /**
   * Installs the telemetry, owned (and closed) by the mesh: {@code MeshBuilder}'s, or a test's
   * replacement ({@link InternalMesh#replaceTelemetry}).
   */
  public void startTelemetry(MeshTelemetry telemetry) {
    this.telemetry = own(telemetry);
  }

  void configDumpSection(String name, Supplier<?> section) {
    configDumpSections.put(requireNonNull(name, "name"), requireNonNull(section, "section"));
  }

  Map<String, Supplier<?>> configDumpSections() {
    return Map.copyOf(configDumpSections);
  }

  synchronized <T extends AutoCloseable> T own(T resource) {
    requireNonNull(resource, "resource");
    requireOpen();
    owned.push(resource);
    return resource;
  }

  synchronized <T> T state(InternalMesh.StateKey<T> key, Supplier<? extends T> factory) {
    requireNonNull(key, "key");
    requireNonNull(factory, "factory");
    requireOpen();
    Object existing = states.get(key);
    if (existing != null) {
      return key.type().cast(existing);
    }
    T created = requireNonNull(factory.get(), key.name());
    if (closed) {
      // the factory closed the mesh (it may call back into it); do not keep what it made
      closeQuietly(created);
      requireOpen();
    }
    states.put(key, created);
    if (created instanceof AutoCloseable closeable) {
      owned.push(closeable);
    }
    return created;
  }

  synchronized <T> T findState(InternalMesh.StateKey<T> key) {
    return key.type().cast(states.get(requireNonNull(key, "key")));
  }

  synchronized boolean isClosed() {
    return closed;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("mesh for workload '" + workloadName + "' is closed");
    }
  }

  /**
   * Closes every owned resource (state slots included) in reverse order of registration, then
   * discovery, and forgets them all. Idempotent. For {@code Mesh.close()} only.
   */
  public void close() {
    Deque<AutoCloseable> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayDeque<>(owned);
      owned.clear();
      states.clear();
      configDumpSections.clear();
    }
    toClose.forEach(MeshInternals::closeQuietly);
    discovery.close();
  }

  private static void closeQuietly(Object o) {
    if (o instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("Closing {} failed", c, e);
      }
    }
  }
}
