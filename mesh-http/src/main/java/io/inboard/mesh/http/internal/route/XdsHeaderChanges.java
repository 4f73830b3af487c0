package io.inboard.mesh.http.internal.route;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.inboard.mesh.http.internal.transport.ChangedRequest;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A route's header changes for one direction: Envoy's {@code *_headers_to_add} (each with its
 * {@code append_action}, or the deprecated {@code append}) and {@code *_headers_to_remove}.
 * Removal comes first, then overwrites, then appends, as Envoy applies them.
 *
 * @param set headers whose values are replaced (lower-case names)
 * @param add headers whose value is appended (lower-case names)
 * @param remove header names removed (lower case)
 */
public record XdsHeaderChanges(Map<String, String> set, Map<String, String> add, List<String> remove) {

  static final XdsHeaderChanges NONE = new XdsHeaderChanges(Map.of(), Map.of(), List.of());

  public XdsHeaderChanges {
    set = Map.copyOf(set);
    add = Map.copyOf(add);
    remove = List.copyOf(remove);
  }

  /**
   * Compiles the route's options.
   *
   * @throws IllegalArgumentException naming {@code field} for an action the client cannot apply
   */
  static XdsHeaderChanges of(List<HeaderValueOption> toAdd, List<String> toRemove, String field) {
    if (toAdd.isEmpty() && toRemove.isEmpty()) {
      return NONE;
    }
    Map<String, String> set = new LinkedHashMap<>();
    Map<String, String> add = new LinkedHashMap<>();
    for (int i = 0; i < toAdd.size(); i++) {
      HeaderValueOption h = toAdd.get(i);
      String name = h.getHeader().getKey().toLowerCase(Locale.ROOT);
      boolean append = h.hasAppend()
          ? h.getAppend().getValue()
          : switch (h.getAppendAction()) {
            case APPEND_IF_EXISTS_OR_ADD -> true;
            case OVERWRITE_IF_EXISTS_OR_ADD -> false;
            default -> throw new IllegalArgumentException(field + "_to_add[" + i
                + "].append_action: " + h.getAppendAction()
                + " (expected: APPEND_IF_EXISTS_OR_ADD or OVERWRITE_IF_EXISTS_OR_ADD)");
          };
      (append ? add : set).put(name, h.getHeader().getValue());
    }
    List<String> remove = toRemove.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    return new XdsHeaderChanges(set, add, remove);
  }

  public boolean isEmpty() {
    return set.isEmpty() && add.isEmpty() && remove.isEmpty();
  }

  /** {@code request} with the changes, or {@code request} itself when there are none. */
  HttpRequest apply(HttpRequest request) {
    if (isEmpty()) {
      return request;
    }
    // laid over the request, not copied: a try copies its headers once, into what it sends
    return ChangedRequest.of(request, set, add, remove);
  }

  /** {@code headers} with the changes. */
  HttpHeaders apply(HttpHeaders headers) {
    Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.map().forEach((n, v) -> {
      String lower = n.toLowerCase(Locale.ROOT);
      if (!remove.contains(lower) && !set.containsKey(lower)) {
        out.put(n, v);
      }
    });
    set.forEach((n, v) -> out.put(n, List.of(v)));
    add.forEach((n, v) -> {
      List<String> values = new ArrayList<>(out.getOrDefault(n, List.of()));
      values.add(v);
      out.put(n, values);
    });
    return HttpHeaders.of(out, (a, b) -> true);
  }
}
