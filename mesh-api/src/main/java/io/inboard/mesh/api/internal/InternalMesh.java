package io.inboard.mesh.api.internal;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.context.HeaderPropagation;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.inbound.InboundGuard;
import io.inboard.mesh.api.internal.telemetry.LocalPeerHeaders;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.policy.ClientPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What Inboard's own modules ({@code mesh-grpc}, {@code mesh-http}, {@code mesh-telemetry},
 * {@code mesh-xds}, ...) need from a {@link Mesh} that applications do not: the one bridge to
 * a mesh's internals, in the style of grpc-java's {@code Internal*} classes, so that
 * {@code Mesh} itself shows only what applications use. It may change at any time; application
 * code should not call it.
 */
public final class InternalMesh {

  private static volatile Function<Mesh, MeshInternals> internals;

  private InternalMesh() {}

  /**
   * Connects this accessor to {@link Mesh}'s private state. Called once, by {@code Mesh}'s
   * static initializer (which has run before any mesh exists); a second call fails.
   */
  public static synchronized void bind(Function<Mesh, MeshInternals> accessor) {
    if (internals != null) {
      throw new IllegalStateException("InternalMesh is already bound");
    }
    internals = requireNonNull(accessor, "accessor");
  }

  private static MeshInternals of(Mesh mesh) {
    requireNonNull(mesh, "mesh");
    // a Mesh instance exists, so Mesh's static initializer has bound us
    return internals.apply(mesh);
  }

  /** Where clients of {@code mesh} resolve services. */
  public static EndpointDiscovery discovery(Mesh mesh) {
    return of(mesh).discovery();
  }

  /** Which inbound headers outbound calls carry onwards. */
  public static HeaderPropagation propagation(Mesh mesh) {
    return of(mesh).propagation();
  }

  /**
   * The port of the per-workload admin server ({@code /stats/prometheus},
   * {@code /debug/config_dump}): 15020 by default, {@code 0} for an ephemeral port, {@code -1}
   * for none.
   */
  public static int adminPort(Mesh mesh) {
    return of(mesh).adminPort();
  }

  /**
   * Whether the admin port was given with {@code MeshBuilder.adminPort}: then a port that cannot
   * be bound fails the build. With the default, a taken port falls back to an ephemeral one,
   * with a warning naming the address.
   */
  public static boolean adminPortFixed(Mesh mesh) {
    return of(mesh).adminPortFixed();
  }

  /** The guards every inbound hook runs before the application, in order. */
  public static List<InboundGuard> inboundGuards(Mesh mesh) {
    return of(mesh).inboundGuards();
  }

  /**
   * The policy in force for calls from {@code mesh} to {@code service}: {@code client} (from
   * annotations or a builder) over {@link ClientPolicy#DEFAULTS}, field by field. The one place
   * every data plane asks, so that a mesh-wide policy layer has a single home. (Policy from a
   * control plane does not pass here: it reaches clients over xDS.)
   */
  public static ClientPolicy effectivePolicy(Mesh mesh, ServiceName service, ClientPolicy client) {
    requireNonNull(mesh, "mesh");
    requireNonNull(service, "service");
    return requireNonNull(client, "client").orElse(ClientPolicy.DEFAULTS);
  }

  /**
   * The peer-metadata headers of {@code mesh}'s workload, made once (on first use) and read
   * without a lock, so per-call paths may ask.
   */
  public static LocalPeerHeaders peerHeaders(Mesh mesh) {
    return of(mesh).peerHeaders(mesh);
  }

  /** Where requests are recorded, and the admin server ({@link MeshTelemetry#NONE} if none). */
  public static MeshTelemetry telemetry(Mesh mesh) {
    return of(mesh).telemetry();
  }

  /**
   * For tests: {@code mesh}'s telemetry becomes {@code telemetry} (a recorder, say), which the
   * mesh then closes with itself. Data planes read the telemetry when a client, channel or
   * server hook is built, so replace it before building them.
   *
   * @throws IllegalStateException if the mesh is closed
   */
  public static void replaceTelemetry(Mesh mesh, MeshTelemetry telemetry) {
    of(mesh).startTelemetry(requireNonNull(telemetry, "telemetry"));
  }

  /**
   * Adds (or replaces) a section of {@code /debug/config_dump}: {@code section} is called on
   * each dump and should return maps, lists, strings, numbers and booleans. A data plane adds
   * what it holds, such as the xDS resources it ACKed or NACKed.
   */
  public static void configDumpSection(Mesh mesh, String name, Supplier<?> section) {
    of(mesh).configDumpSection(name, section);
  }

  /** The sections added with {@link #configDumpSection}, by name. */
  public static Map<String, Supplier<?>> configDumpSections(Mesh mesh) {
    return of(mesh).configDumpSections();
  }

  /**
   * Hands {@code resource} to {@code mesh}, which closes it on {@link Mesh#close()}, in reverse
   * order of registration.
   *
   * @throws IllegalStateException if the mesh is closed
   */
  public static <T extends AutoCloseable> T own(Mesh mesh, T resource) {
    return of(mesh).own(resource);
  }

  /**
   * The value of {@code mesh}'s state slot {@code key}, made by {@code factory} on first use and
   * kept by the mesh (not in a static map), so it goes with the mesh: a value that is
   * {@link AutoCloseable} is closed on {@link Mesh#close()}, and every slot is forgotten then.
   * The factory runs at most once per mesh and key, under the mesh's lock.
   *
   * @throws IllegalStateException if the mesh is closed
   */
  public static <T> T state(Mesh mesh, StateKey<T> key, Supplier<? extends T> factory) {
    return of(mesh).state(key, factory);
  }

  /** The value of {@code mesh}'s state slot {@code key}, if it was made and the mesh is open. */
  public static <T> Optional<T> findState(Mesh mesh, StateKey<T> key) {
    return Optional.ofNullable(of(mesh).findState(key));
  }

  /** Whether {@link Mesh#close()} was called. */
  public static boolean isClosed(Mesh mesh) {
    return of(mesh).isClosed();
  }

  /**
   * Names a per-mesh state slot; compared by identity, so each module keeps its keys in
   * constants.
   *
   * @param <T> the type of the slot's value
   */
  public static final class StateKey<T> {
    private final String name;
    private final Class<T> type;

    private StateKey(String name, Class<T> type) {
      this.name = name;
      this.type = type;
    }

    /** A new key; {@code name} appears in messages only. */
    public static <T> StateKey<T> of(String name, Class<T> type) {
      return new StateKey<>(requireNonNull(name, "name"), requireNonNull(type, "type"));
    }

    String name() {
      return name;
    }

    Class<T> type() {
      return type;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
