package io.inboard.mesh.controlplane.internal.store;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.EndpointUpdate;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The accepted resources (with the documents they were read from), the known service ports and
 * the registered endpoints. A service port is known from its first endpoint or declaration until
 * it is forgotten, so that one whose endpoints all went is still served, empty. Not
 * thread-safe: the owner locks.
 */
public final class ConfigStore {
  private final Map<ResourceId, ParsedResource> resources = new LinkedHashMap<>();
  private final Map<ResourceId, Object> documents = new LinkedHashMap<>();
  private final Set<ServiceEndpoint> endpoints = new LinkedHashSet<>();
  private final Set<ServicePort> services = new TreeSet<>();

  /** Adds or replaces each resource of {@code parsed} by id. */
  public void putAll(ResourceParser.Result parsed) {
    for (ParsedResource r : parsed.resources()) {
      resources.put(r.id(), r);
      documents.put(r.id(), parsed.documents().get(r.id()));
    }
  }

  /** Whether a resource with this id is stored. */
  public boolean contains(ResourceId id) {
    return resources.containsKey(id);
  }

  /** Removes the resources with these ids; returns whether any was stored. */
  public boolean removeAll(Collection<ResourceId> ids) {
    boolean changed = false;
    for (ResourceId id : ids) {
      changed |= resources.remove(id) != null;
      documents.remove(id);
    }
    return changed;
  }

  /** Adds an endpoint, and makes its service port known; returns whether anything changed. */
  public boolean addEndpoint(ServiceEndpoint e) {
    boolean changed = services.add(e.servicePort());
    return endpoints.add(e) || changed;
  }

  /** Applies {@code update} in its documented order; returns whether anything changed. */
  public boolean apply(EndpointUpdate update) {
    boolean changed = false;
    for (ServiceEndpoint e : update.deregister()) {
      changed |= endpoints.remove(e);
    }
    for (ServicePort sp : update.forget()) {
      changed |= services.remove(sp);
      changed |= endpoints.removeIf(e -> e.servicePort().equals(sp));
    }
    for (ServicePort sp : update.declare()) {
      changed |= services.add(sp);
    }
    for (ServiceEndpoint e : update.register()) {
      changed |= addEndpoint(e);
    }
    return changed;
  }

  /** The known service ports, ordered by host and port. */
  public List<ServicePort> services() {
    return List.copyOf(services);
  }

  public MeshConfig snapshot() {
    return new MeshConfig(new ArrayList<>(resources.values()), new ArrayList<>(services),
        new ArrayList<>(endpoints));
  }

  /** The stored resources in the order they were first applied. */
  public List<ParsedResource> resources() {
    return List.copyOf(resources.values());
  }

  /** The document {@code id} was read from, as SnakeYAML loaded it; null when unknown. */
  public Object document(ResourceId id) {
    return documents.get(id);
  }

  /**
   * The warnings and not-served notes of every stored resource, and the references between
   * them that do not resolve: subsets, {@code credentialName} Secrets, gateways (see {@link
   * #withReferences}).
   */
  public List<Diagnostic> diagnostics() {
    List<Diagnostic> all = new ArrayList<>();
    resources.values().forEach(r -> all.addAll(r.diagnostics()));
    all.addAll(SubsetReferences.check(resources.values(), resources.values(), documents::get));
    all.addAll(CredentialReferences.check(resources.values(), resources.values(),
        documents::get));
    all.addAll(GatewayReferences.check(resources.values(), resources.values(),
        documents::get));
    all.addAll(GatewayConflicts.check(resources.values(), resources.values()));
    all.addAll(HostConflicts.check(resources.values(), resources.values()));
    all.addAll(TelemetryConflicts.check(resources.values(), resources.values()));
    return all;
  }

  /**
   * The findings of {@code parsed}, followed by warnings about its resources' references that
   * do not resolve against the stored resources together with {@code parsed}'s own (a route to
   * a subset no DestinationRule defines), and about hosts another resource of the same kind
   * also claims. Whether or not {@code parsed} has been put yet, the answer is the same.
   */
  public List<Diagnostic> withReferences(ResourceParser.Result parsed) {
    Map<ResourceId, ParsedResource> all = new LinkedHashMap<>(resources);
    parsed.resources().forEach(r -> all.put(r.id(), r));
    List<Diagnostic> out = new ArrayList<>(parsed.diagnostics());
    out.addAll(SubsetReferences.check(parsed.resources(), all.values(), id -> {
      Object doc = parsed.documents().get(id);
      return doc != null ? doc : documents.get(id);
    }));
    out.addAll(CredentialReferences.check(parsed.resources(), all.values(), id -> {
      Object doc = parsed.documents().get(id);
      return doc != null ? doc : documents.get(id);
    }));
    out.addAll(GatewayReferences.check(parsed.resources(), all.values(), id -> {
      Object doc = parsed.documents().get(id);
      return doc != null ? doc : documents.get(id);
    }));
    out.addAll(GatewayConflicts.check(parsed.resources(), all.values()));
    out.addAll(HostConflicts.check(parsed.resources(), all.values()));
    out.addAll(TelemetryConflicts.check(parsed.resources(), all.values()));
    return out;
  }
}
