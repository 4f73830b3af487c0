package io.inboard.mesh.controlplane.internal.source;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Deletion;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.k8s.IstioConfig;
import io.inboard.mesh.k8s.IstioConfigListener;
import io.inboard.mesh.k8s.IstioResource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each Istio resource that is new or changed in the cluster to the control plane, one
 * resource per call (so that one invalid resource holds back no other), and deletes the ones
 * removed from the cluster. A rejected resource is logged and listed; its last good version, if
 * any, stays served. Called on the discovery thread only.
 */
public final class IstioSync implements IstioConfigListener {

  private static final Logger log = LoggerFactory.getLogger(IstioSync.class);

  private final ControlPlane controlPlane;
  /** What the cluster held at the last snapshot, accepted or not. */
  private Map<ResourceId, IstioResource> seen = Map.of();
  /** Resources the control plane holds a version of, because this source applied it. */
  private final Set<ResourceId> applied = new HashSet<>();
  private final Map<ResourceId, Diagnostics> rejected = new ConcurrentHashMap<>();

  public IstioSync(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Override
  public void onIstioConfig(IstioConfig config) {
    Map<ResourceId, IstioResource> now = new LinkedHashMap<>();
    for (IstioResource r : config.resources()) {
      now.put(new ResourceId(r.kind().kind(), r.namespace(), r.name()), r);
    }
    now.forEach((id, r) -> {
      if (!r.equals(seen.get(id))) {
        apply(id, r);
      }
    });
    for (Map.Entry<ResourceId, IstioResource> gone : seen.entrySet()) {
      if (!now.containsKey(gone.getKey())) {
        remove(gone.getKey(), gone.getValue());
      }
    }
    seen = now;
  }

  /** The resources whose current version the control plane rejected, with why. */
  public Map<ResourceId, Diagnostics> rejected() {
    return Map.copyOf(rejected);
  }

  private void apply(ResourceId id, IstioResource r) {
    Diagnostics d = controlPlane.apply(r.yaml());
    if (d.hasErrors()) {
      rejected.put(id, d);
      log.warn("Kubernetes {} rejected{}:\n{}", r.displayName(),
          applied.contains(id) ? "; its last good version stays served" : "", d.errors()
              .stream().map(Object::toString).reduce((a, b) -> a + "\n" + b).orElse(""));
      return;
    }
    rejected.remove(id);
    applied.add(id);
    if (!d.all().isEmpty()) {
      log.info("Kubernetes {} applied with findings:\n{}", r.displayName(), d);
    }
  }

  private void remove(ResourceId id, IstioResource last) {
    rejected.remove(id);
    if (!applied.remove(id)) {
      return; // never accepted: the control plane holds nothing of it
    }
    Deletion deletion = controlPlane.delete(last.yaml());
    if (!deletion.ok()) {
      // deleted meanwhile by other means (the admin API): nothing is left to remove
      log.debug("Kubernetes {} removed; the control plane no longer held it: {}",
          last.displayName(), deletion);
    }
  }
}
