package io.inboard.mesh.grpc.internal.xds;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServedService;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.grpc.InternalXdsChannels;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import io.inboard.mesh.xds.internal.InMemoryCertificates;
import io.inboard.mesh.xds.internal.XdsNode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one {@link XdsChannels} of a mesh in {@link DiscoveryMode#XDS}: built from the mesh's
 * settings (control planes, node identity, initial-config bound) on first use, and kept in the
 * mesh's own state slot, which closes it on {@code mesh.close()} after the channels made from it.
 *
 * <p>When the mesh has a workload identity, its every generation (key, chain and roots
 * together) is pushed to grpc-xds's certificate providers {@code default} and {@code ROOTCA},
 * so ISTIO_MUTUAL clusters are mTLS with the current certificate.
 */
public final class MeshXds implements AutoCloseable {
  private static final InternalMesh.StateKey<MeshXds> KEY =
      InternalMesh.StateKey.of("mesh-grpc xDS channels", MeshXds.class);

  private final Mesh mesh;
  private final XdsChannels channels;
  private final Optional<WorkloadIdentity> identity;
  private final InMemoryCertificates certificates;
  private final Consumer<IdentityMaterial> pushCertificates;
  private ManagedChannel announcement;

  private MeshXds(Mesh mesh) {
    this.mesh = mesh;
    Mesh.Settings s = mesh.settings();
    XdsChannels.Builder b = XdsChannels.forControlPlane(s.controlPlanes().toArray(String[]::new))
        .nodeId(XdsNode.id(s))
        .initialConfigTimeout(s.initialConfigTimeout());
    XdsNode.metadata(mesh).forEach((key, value) -> {
      if (value instanceof String text) {
        b.metadata(key, text);
      } else {
        @SuppressWarnings("unchecked")
        Map<String, String> struct = (Map<String, String>) value;
        b.metadata(key, struct);
      }
    });
    this.identity = MeshIdentity.of(mesh);
    this.certificates = identity.isPresent() ? InMemoryCertificates.create() : null;
    this.pushCertificates = m -> certificates.update(m.key(), m.chain(), m.roots());
    if (certificates != null) {
      InternalXdsChannels.certificates(b, certificates);
      identity.get().addListener(pushCertificates);
    }
    this.channels = b.build();
    // what the gRPC side holds, with ACK/NACK state, in the workload's /debug/config_dump
    InternalMesh.configDumpSection(mesh, "xds_grpc", channels::resources);
  }

  /**
   * The xDS channels of {@code mesh}, created on first use.
   *
   * @throws IllegalStateException if the mesh is closed or not in xDS mode
   */
  public static MeshXds of(Mesh mesh) {
    requireNonNull(mesh, "mesh");
    if (mesh.settings().discoveryMode() != DiscoveryMode.XDS) {
      throw new IllegalStateException("discovery: " + mesh.settings().discoveryMode()
          + " (expected: XDS, set by Mesh.builder().controlPlane(...))");
    }
    return InternalMesh.state(mesh, KEY, () -> new MeshXds(mesh));
  }

  /** The channels, for building a channel to one target. */
  public XdsChannels channels() {
    return channels;
  }

  /**
   * Opens the mesh's ADS stream now and holds it open, so that the control plane sees (and can
   * register) this workload before it makes any call of its own. The stream asks for the
   * served service's own listener, a resource the control plane serves once the workload is
   * registered.
   *
   * @throws IllegalStateException if the mesh announces no served service
   */
  public synchronized void announce() {
    if (announcement != null) {
      return;
    }
    ServedService served = mesh.settings().serves().orElseThrow(() -> new IllegalStateException(
        "serves: none (expected: Mesh.builder().serves(\"reviews\", Map.of(\"grpc\", 9080)) for"
            + " a workload that announces itself)"));
    String listener = mesh.service(served.name()).fqdn(mesh.settings().clusterDomain()) + ":"
        + served.ports().values().iterator().next();
    // no idle timeout: an idle channel would drop its watch, and the stream with it
    announcement = channels.channelBuilder(listener).idleTimeout(30, TimeUnit.DAYS).build();
    announcement.getState(true);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (announcement != null) {
        announcement.shutdownNow();
      }
    }
    channels.close();
    if (certificates != null) {
      identity.get().removeListener(pushCertificates);
      certificates.close();
    }
  }
}
