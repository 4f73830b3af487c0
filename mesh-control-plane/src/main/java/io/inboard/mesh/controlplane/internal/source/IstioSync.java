package io.inboard.mesh.controlplane.internal.source;

import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.ControlPlaneEngine;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import io.inboard.mesh.k8s.internal.catalog.IstioConfig;
import io.inboard.mesh.k8s.internal.catalog.IstioConfigListener;
import io.inboard.mesh.k8s.internal.catalog.IstioResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's Kubernetes-sourced resources equal to the cluster's. Each snapshot's new or
 * changed custom resources are parsed one by one from the documents the API returned (never
 * through YAML text), so that one invalid resource holds back no other; the accepted ones and
 * the removals then reach the store together, as one update: an initial sync of many resources
 * publishes one snapshot. A rejected resource is logged and listed; its last good version, if
 * any, stays served. Called on the discovery thread only.
 */
public final class IstioSync implements IstioConfigListener {

  private static final Logger log = LoggerFactory.getLogger(IstioSync.class);

  private final ControlPlaneEngine engine;
  /** What the cluster held at the last snapshot, accepted or not. */
  private Map<ResourceId, IstioResource> seen = Map.of();
  /** Resources the engine holds a version of, because this source stored it. */
  private final Set<ResourceId> applied = new HashSet<>();
  private final Map<ResourceId, Diagnostics> rejected = new ConcurrentHashMap<>();

  public IstioSync(ControlPlaneEngine engine) {
    this.engine = engine;
  }

  @Override
  public void onIstioConfig(IstioConfig config) {
    Map<ResourceId, IstioResource> now = new LinkedHashMap<>();
    for (IstioResource r : config.resources()) {
      now.put(new ResourceId(r.kind().kind(), r.namespace(), r.name()), r);
    }
    List<ResourceParser.Result> accepted = new ArrayList<>();
    now.forEach((id, r) -> {
      if (!r.equals(seen.get(id))) {
        parse(id, r).ifPresent(accepted::add);
      }
    });
    List<ResourceId> removed = new ArrayList<>();
    for (ResourceId id : seen.keySet()) {
      if (!now.containsKey(id)) {
        rejected.remove(id);
        if (applied.remove(id)) {
          removed.add(id); // one never accepted left nothing in the engine
        }
      }
    }
    seen = now;
    engine.replaceResources(removed, accepted);
    for (ResourceParser.Result r : accepted) {
      Diagnostics d = engine.findings(r);
      if (!d.all().isEmpty()) {
        log.info("Kubernetes {} applied with findings:\n{}", r.resources().get(0).id(), d);
      }
    }
  }

  /** The resources whose current version was rejected, with why. */
  public Map<ResourceId, Diagnostics> rejected() {
    return Map.copyOf(rejected);
  }

  /** Parses {@code r}; empty (and listed as rejected) when it has errors. */
  private Optional<ResourceParser.Result> parse(ResourceId id, IstioResource r) {
    ResourceParser.Result result = engine.parser().parseDocuments(r.displayName(),
        List.of(r.document()));
    if (result.hasErrors()) {
      Diagnostics d = engine.findings(result);
      rejected.put(id, d);
      log.warn("Kubernetes {} rejected{}:\n{}", r.displayName(),
          applied.contains(id) ? "; its last good version stays served" : "", d.errors()
              .stream().map(Object::toString).reduce((a, b) -> a + "\n" + b).orElse(""));
      return Optional.empty();
    }
    rejected.remove(id);
    applied.add(id);
    return Optional.of(result);
  }
}
