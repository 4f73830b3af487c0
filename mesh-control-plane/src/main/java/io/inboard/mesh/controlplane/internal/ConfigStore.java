package io.inboard.mesh.controlplane.internal;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The accepted resources and registered endpoints. Not thread-safe: the owner locks. */
public final class ConfigStore {
  private final Map<ResourceId, IstioResource> resources = new LinkedHashMap<>();
  private final Set<ServiceEndpoint> endpoints = new LinkedHashSet<>();

  /** Adds or replaces each resource by id. */
  public void putAll(List<IstioResource> accepted) {
    accepted.forEach(r -> resources.put(r.id(), r));
  }

  public boolean addEndpoint(ServiceEndpoint e) {
    return endpoints.add(e);
  }

  public boolean removeEndpoint(ServiceEndpoint e) {
    return endpoints.remove(e);
  }

  public MeshConfig snapshot() {
    return new MeshConfig(new ArrayList<>(resources.values()), new ArrayList<>(endpoints));
  }

  /** The warnings and not-served notes of every stored resource. */
  public List<Diagnostic> diagnostics() {
    return resources.values().stream().flatMap(r -> r.diagnostics().stream()).toList();
  }
}
