package io.inboard.mesh.security.internal.inbound;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.xds.client.XdsClient;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.xds.internal.InProcessXdsBootstrap;
import io.inboard.mesh.xds.internal.RawResourceType;
import io.inboard.mesh.xds.internal.XdsNode;
import io.inboard.mesh.xds.internal.XdsResourceDump;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the control plane's {@code virtualInbound} listener for one mesh, on an xDS client of
 * its own (its own ADS stream, announcing the mesh's node), and hands each mTLS policy it states
 * to {@code sink} ({@link InboundMtlsPolicy#DEFAULT} when the control plane has no such listener)
 * the access policies it carries to the mesh's {@link InboundAccess}, and the telemetry policy
 * it carries to the mesh's telemetry ({@link MeshTelemetry#configure}).
 * A listener that cannot be read is NACKed, with the reason, and the last good policy stays;
 * so does it while no control plane answers.
 */
final class VirtualInboundWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VirtualInboundWatch.class);
  private static final RawResourceType<Listener> LDS =
      RawResourceType.listeners(VirtualInboundPolicy::problem);

  private final InProcessXdsBootstrap.SharedClient lease;
  private final ExecutorService thread;
  private final XdsClient.ResourceWatcher<RawResourceType.Update<Listener>> watcher;
  private String lastProblem;

  VirtualInboundWatch(Mesh mesh, Consumer<InboundMtlsPolicy> sink) {
    Mesh.Settings s = mesh.settings();
    this.lease = InProcessXdsBootstrap.sharedClient(InProcessXdsBootstrap.bootstrap(
        s.controlPlanes(), XdsNode.id(s), XdsNode.metadata(mesh)));
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "inboard-inbound-mtls-" + s.workloadName());
      t.setDaemon(true);
      return t;
    });
    this.watcher = new XdsClient.ResourceWatcher<>() {
      @Override
      public void onResourceChanged(StatusOr<RawResourceType.Update<Listener>> update) {
        if (update.hasValue()) {
          lastProblem = null;
          Listener listener = update.getValue().resource();
          sink.accept(VirtualInboundPolicy.fromListener(listener));
          VirtualInboundPolicy.Access access = VirtualInboundPolicy.access(listener);
          InboundAccess.of(mesh).set(access.authorizationPolicies(),
              access.requestAuthentications());
          configure(mesh, VirtualInboundPolicy.telemetry(listener));
        } else if (update.getStatus().getCode() == Status.Code.NOT_FOUND) {
          lastProblem = null;
          log.debug("No {} listener for {}: PERMISSIVE on every port",
              MeshXdsNames.VIRTUAL_INBOUND, s.workloadName());
          sink.accept(InboundMtlsPolicy.DEFAULT);
          InboundAccess.of(mesh).set(List.of(), List.of());
          configure(mesh, TelemetryPolicy.DEFAULT);
        } else {
          onAmbientError(update.getStatus());
        }
      }

      @Override
      public void onAmbientError(Status error) {
        String problem = error.getCode() + ": " + error.getDescription();
        if (!problem.equals(lastProblem)) {
          lastProblem = problem;
          log.warn("Inbound mTLS policy of {}: xDS listener '{}' not applied, keeping the last"
              + " good policy: {}", s.workloadName(), MeshXdsNames.VIRTUAL_INBOUND, problem);
        }
      }
    };
    lease.client().watchXdsResource(LDS, MeshXdsNames.VIRTUAL_INBOUND, watcher, thread);
    InternalMesh.configDumpSection(mesh, "xds_inbound_mtls",
        () -> XdsResourceDump.of(lease.client()));
  }

  /** Puts {@code policy} in force unless it already is: most listener changes are not its. */
  private static void configure(Mesh mesh, TelemetryPolicy policy) {
    MeshTelemetry telemetry = InternalMesh.telemetry(mesh);
    if (!policy.equals(telemetry.policy())) {
      telemetry.configure(policy);
    }
  }

  @Override
  public void close() {
    lease.client().cancelXdsResourceWatch(LDS, MeshXdsNames.VIRTUAL_INBOUND, watcher);
    lease.close();
    thread.shutdownNow();
  }
}
