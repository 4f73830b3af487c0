package io.inboard.mesh.http.internal.lb;

import java.util.ArrayList;
import java.util.List;

/**
 * Locality-aware priority: while any endpoint in the preferred zone is available (routable and
 * not ejected), calls go only to those; when none is, to every available endpoint, and back as
 * soon as one returns. Used in xDS mode, where EDS localities carry each endpoint's zone.
 *
 * <p>Applied when an {@link EndpointSet} rebuilds its picker, never per call.
 */
final class LocalityPriority {

  /** Spreads calls over every zone. */
  static final LocalityPriority NONE = new LocalityPriority("");

  private final String zone;

  private LocalityPriority(String zone) {
    this.zone = zone;
  }

  /** Prefers {@code zone}; {@code ""} spreads calls over every zone. */
  static LocalityPriority prefer(String zone) {
    return zone.isEmpty() ? NONE : new LocalityPriority(zone);
  }

  /** The endpoints to pick from: {@code available}'s local ones if any, else all of them. */
  List<EndpointState> apply(List<EndpointState> available) {
    if (zone.isEmpty()) {
      return available;
    }
    List<EndpointState> local = new ArrayList<>(available.size());
    for (EndpointState e : available) {
      if (zone.equals(e.endpoint().zone())) {
        local.add(e);
      }
    }
    return local.isEmpty() ? available : local;
  }
}
