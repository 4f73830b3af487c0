package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What an Istio HTTPRoute asks of a route besides where to send it: request mirroring and header
 * changes. HTTP clients honour these, gRPC clients through Inboard's route filter (grpc-xds
 * itself ignores them). Kept apart from mesh-api's {@code HttpRoute} because no client-side
 * builder sets them.
 *
 * @param mirrors where copies of matching requests go, each with its percentage
 * @param request header changes made to the request before it is sent
 * @param response header changes made to the response before the caller sees it
 * @param destinations each route destination's own header changes ({@code route[i].headers}),
 *     in destination order; empty when no destination has any
 */
public record RouteExtras(List<Mirror> mirrors, HeaderChanges request, HeaderChanges response,
    List<DestinationHeaders> destinations) {

  public static final RouteExtras NONE =
      new RouteExtras(List.of(), HeaderChanges.NONE, HeaderChanges.NONE, List.of());

  public RouteExtras {
    mirrors = List.copyOf(requireNonNull(mirrors, "mirrors"));
    requireNonNull(request, "request");
    requireNonNull(response, "response");
    destinations = List.copyOf(requireNonNull(destinations, "destinations"));
  }

  /** The header changes of destination {@code i}, none when it has none. */
  public DestinationHeaders destination(int i) {
    return i < destinations.size() ? destinations.get(i) : DestinationHeaders.NONE;
  }

  /** One route destination's {@code headers}: applied only to requests sent there. */
  public record DestinationHeaders(HeaderChanges request, HeaderChanges response) {
    public static final DestinationHeaders NONE =
        new DestinationHeaders(HeaderChanges.NONE, HeaderChanges.NONE);

    public DestinationHeaders {
      requireNonNull(request, "request");
      requireNonNull(response, "response");
    }

    boolean isEmpty() {
      return request.isEmpty() && response.isEmpty();
    }
  }

  /**
   * One mirror target.
   *
   * @param host the mirror's fully qualified host
   * @param subset the DestinationRule subset, or {@code ""}
   * @param port the service port, or {@code 0} for the route's own port
   * @param percent the share of requests copied, {@code 0..100} (Istio's default 100)
   */
  public record Mirror(String host, String subset, int port, double percent) {
    public Mirror {
      requireNonNull(host, "host");
      requireNonNull(subset, "subset");
    }
  }

  /**
   * Istio's {@code Headers.HeaderOperations}.
   *
   * @param set headers whose value is replaced (or added when absent)
   * @param add headers whose value is appended to any existing ones
   * @param remove header names removed
   */
  public record HeaderChanges(Map<String, String> set, Map<String, String> add, List<String> remove) {
    public static final HeaderChanges NONE = new HeaderChanges(Map.of(), Map.of(), List.of());

    public HeaderChanges {
      set = Map.copyOf(set);
      add = Map.copyOf(add);
      remove = List.copyOf(remove);
    }

    boolean isEmpty() {
      return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }
  }
}
