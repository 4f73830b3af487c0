package io.inboard.mesh.controlplane.internal.ads;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.inboard.mesh.controlplane.internal.translate.XdsResources;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the groups' snapshots so that equal content is held once and keeps its version.
 *
 * <ul>
 *   <li><b>Per-type versions.</b> Each type of a snapshot gets its own version. A type whose
 *       resources equal what some group was served in the previous or the current publication
 *       gets that {@link SnapshotResources}, version included, so the cache re-sends nothing of
 *       it; any other content gets a new version {@code <instance>-<n>}, {@code n} counting
 *       every new content. A version therefore names exactly one content, and a change always
 *       changes the version of the types it touches.
 *   <li><b>Shared messages.</b> An xDS message equal to one already held (by another group, or
 *       since the previous publication) is replaced by that instance, so that 50 groups served
 *       the same 1000 RouteConfigurations hold them once, and comparing a publication with the
 *       previous one mostly finds identical instances.
 * </ul>
 *
 * <p>Content older than the previous publication is forgotten (it would pin its messages); if
 * it comes back, it gets a new version, which costs one needless re-send. Not thread-safe: the
 * {@link AdsServer} calls it under its lock.
 */
final class SnapshotSharing {
  private static final SnapshotResources<Secret> NO_SECRETS = SnapshotResources.create(List.of(),
      "");

  private final String instance;
  private long versions;
  private Map<Message, Message> previousMessages = new HashMap<>();
  private Map<Message, Message> messages = new HashMap<>();
  /**
   * This publication's translated instances and what they were shared as: the groups of one
   * publication get the same instances for what does not depend on the caller, and looking
   * them up by identity spares a deep {@code equals} per group (the profile's top frame).
   */
  private Map<Message, Message> translated = new IdentityHashMap<>();
  /**
   * This publication's translated lists, by type, and what they were shared as: groups served
   * the same resources get the same (immutable) list from the translator, and 50 groups times
   * 1000s of resources looked up one by one were the profile's top frame.
   */
  private Map<ResourceType, Map<List<?>, SnapshotResources<?>>> lists = newLists();
  private Map<Content, SnapshotResources<?>> previousContents = new HashMap<>();
  private Map<Content, SnapshotResources<?>> contents = new HashMap<>();

  /** @param instance what versions start with, distinct for each control-plane instance */
  SnapshotSharing(String instance) {
    this.instance = instance;
  }

  /** Starts a publication: what the one before held stays shareable, older content goes. */
  void nextPublication() {
    previousMessages = messages;
    previousContents = contents;
    messages = new HashMap<>();
    contents = new HashMap<>();
    translated = new IdentityHashMap<>();
    lists = newLists();
  }

  private static Map<ResourceType, Map<List<?>, SnapshotResources<?>>> newLists() {
    Map<ResourceType, Map<List<?>, SnapshotResources<?>>> out = new EnumMap<>(ResourceType.class);
    for (ResourceType t : ResourceType.values()) {
      out.put(t, new IdentityHashMap<>());
    }
    return out;
  }

  /** The snapshot of {@code r}, sharing what equals content already held. */
  SharedSnapshot snapshot(XdsResources r) {
    return new SharedSnapshot(resources(ResourceType.CLUSTER, r.clusters()),
        resources(ResourceType.ENDPOINT, r.assignments()),
        resources(ResourceType.LISTENER, r.listeners()),
        resources(ResourceType.ROUTE, r.routes()), NO_SECRETS);
  }

  @SuppressWarnings("unchecked")
  private <T extends Message> SnapshotResources<T> resources(ResourceType type, List<T> list) {
    Map<List<?>, SnapshotResources<?>> seen = lists.get(type);
    SnapshotResources<?> same = seen.get(list);
    if (same != null) {
      return (SnapshotResources<T>) same;
    }
    List<T> shared = new ArrayList<>(list.size());
    for (T m : list) {
      shared.add(share(m));
    }
    Content key = new Content(type, shared);
    SnapshotResources<?> held = contents.get(key);
    if (held == null) {
      held = previousContents.get(key);
      if (held == null) {
        held = SnapshotResources.create(shared, instance + "-" + ++versions);
      }
      contents.put(key, held);
    }
    seen.put(list, held);
    return (SnapshotResources<T>) held;
  }

  @SuppressWarnings("unchecked")
  private <T extends Message> T share(T m) {
    Message held = translated.get(m);
    if (held == null) {
      held = messages.get(m);
      if (held == null) {
        held = previousMessages.getOrDefault(m, m);
        messages.put(held, held);
      }
      translated.put(m, held);
    }
    return (T) held;
  }

  /** One type's resources, in order; equal when the same messages are equal. */
  private record Content(ResourceType type, List<? extends Message> resources) {}
}
