package io.inboard.mesh.controlplane.internal.ads;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.CacheStatusInfo;
import io.envoyproxy.controlplane.cache.DeltaCacheStatusInfo;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.WatchCancelledException;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.inboard.mesh.controlplane.internal.translate.XdsNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * java-control-plane's {@link SimpleCache}, without its lost ADS watches.
 *
 * <p>In ADS mode the cache answers a request only when the snapshot holds every resource it
 * names (a client asking for a listener whose service is not registered yet gets no answer
 * until it is). Two paths of {@code SimpleCache} 1.0.49 drop the watch when they find such a
 * resource missing, instead of keeping it open for the next snapshot: the client then waits
 * forever, because it has nothing new to ask.
 *
 * <ul>
 *   <li>{@code setSnapshot} tries to answer every open watch and discards each one it tried,
 *       answered or not. Here a watch that cannot be answered in full stays open.
 *   <li>{@code createWatch}, when a request adds names and one of them is in the snapshot,
 *       tries to answer at once and returns without opening the watch if that fails. Here such
 *       a request takes the usual path, which opens the watch when it cannot answer.
 * </ul>
 *
 * <p>One exception to "every resource it names": gateway listeners and routes (see {@link
 * XdsNames#isGatewayResource}). When a Gateway server goes, its listener leaves the snapshot,
 * and the gateway learns it from the index Listener it watches with the same LDS request, which
 * it keeps naming the closed listener until it has seen that index. Holding the answer back
 * would hold back the index too, forever; so a request whose only absent names are gateway
 * resources is answered with what is there, and in state of the world the absence of a named
 * listener tells the client it is gone.
 *
 * <p>Delta watches are left to {@code SimpleCache} (the data planes speak state of the world),
 * and so is its {@code allowDefaultEmptyEdsUpdate} option, which Inboard does not use.
 */
public final class AdsSnapshotCache extends SimpleCache<String> {

  private static final Logger log = LoggerFactory.getLogger(AdsSnapshotCache.class);

  private final NodeGroup<String> groups;

  AdsSnapshotCache(NodeGroup<String> groups) {
    super(groups);
    this.groups = groups;
  }

  @Override
  public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
      Consumer<Response> responseConsumer, boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    Set<String> known = knownResourceNames;
    if (ads && !request.getResourceNamesList().isEmpty()) {
      String group = groups.hash(request.v3Request().getNode());
      Snapshot snapshot = getSnapshot(group);
      if (snapshot != null && !snapshot.resources(request.getResourceType()).keySet()
          .containsAll(request.getResourceNamesList())) {
        if (onlyGatewayResourcesAbsent(request, snapshot)) {
          Watch watch = new Watch(ads, allowDefaultEmptyEdsUpdate, request, responseConsumer);
          if (answered(watch, snapshot, group)) {
            return watch;
          }
        }
        // not answerable yet: skip the "new names" shortcut, which would drop the watch
        known = Set.copyOf(request.getResourceNamesList());
      }
    }
    return super.createWatch(ads, request, known, responseConsumer, hasClusterChanged,
        allowDefaultEmptyEdsUpdate);
  }

  @Override
  protected void respondWithSpecificOrder(String group, Snapshot previousSnapshot,
      Snapshot snapshot, Map<ResourceType, CacheStatusInfo<String>> statusMap,
      Map<ResourceType, DeltaCacheStatusInfo<String>> deltaStatusMap) {
    for (ResourceType type : Resources.RESOURCE_TYPES_IN_ORDER) {
      CacheStatusInfo<String> status = statusMap.get(type);
      if (status != null) {
        status.watchesRemoveIf((id, watch) -> watch.request().getResourceType().equals(type)
            && answered(watch, snapshot, group));
      }
    }
    super.respondWithSpecificOrder(group, previousSnapshot, snapshot, Map.of(), deltaStatusMap);
  }

  private static boolean onlyGatewayResourcesAbsent(XdsRequest request, Snapshot snapshot) {
    Map<String, ? extends Message> resources = snapshot.resources(request.getResourceType());
    return request.getResourceNamesList().stream().filter(n -> !resources.containsKey(n))
        .allMatch(XdsNames::isGatewayResource);
  }

  /**
   * Answers {@code watch} from {@code snapshot} if its version is new and (in ADS mode) the
   * snapshot holds everything it names; returns whether the watch is done with.
   */
  private static boolean answered(Watch watch, Snapshot snapshot, String group) {
    XdsRequest request = watch.request();
    List<String> names = request.getResourceNamesList();
    String version = snapshot.version(request.getResourceType(), names);
    if (request.getVersionInfo().equals(version)) {
      return false;
    }
    Map<String, ? extends Message> resources = snapshot.resources(request.getResourceType());
    if (watch.ads() && !names.isEmpty() && !resources.keySet().containsAll(names)
        && !onlyGatewayResourcesAbsent(request, snapshot)) {
      log.debug("keeping watch of group '{}' for {} {}: not all in version {}", group,
          request.getTypeUrl(), names, version);
      return false;
    }
    List<Message> answer = new ArrayList<>();
    if (names.isEmpty()) {
      answer.addAll(resources.values());
    } else {
      for (String name : names) {
        Message m = resources.get(name);
        if (m != null) {
          answer.add(m);
        }
      }
    }
    try {
      watch.respond(Response.create(request, answer, version));
    } catch (WatchCancelledException e) {
      // the stream went away; nothing to answer
    }
    return true;
  }
}
