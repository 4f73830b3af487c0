package io.inboard.mesh.http.internal.transport;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A request with a route's header changes laid over it instead of copied through the JDK's
 * request builder: names in {@code remove} and {@code set} hide the base's values, {@code set}
 * values replace them and {@code add} values come after whatever is left, as Envoy applies a
 * route's {@code request_headers_to_remove} and {@code request_headers_to_add}.
 */
public final class ChangedRequest extends LayeredRequest {

  private final Map<String, String> set;
  private final Map<String, String> add;
  private final List<String> remove;

  private ChangedRequest(HttpRequest base, Map<String, String> set, Map<String, String> add,
      List<String> remove) {
    super(base);
    this.set = set;
    this.add = add;
    this.remove = remove;
  }

  /**
   * {@code base} with the changes; all names in lower case.
   *
   * @param set headers whose values are replaced
   * @param add headers that get one more value
   * @param remove headers removed (before {@code set} and {@code add} apply)
   */
  public static HttpRequest of(HttpRequest base, Map<String, String> set,
      Map<String, String> add, List<String> remove) {
    return new ChangedRequest(base, set, add, remove);
  }

  /** Whether the base's values of {@code lowerName} are hidden. */
  private boolean hidden(String lowerName) {
    return set.containsKey(lowerName) || remove.contains(lowerName);
  }

  @Override
  public String firstHeader(String lowerName) {
    String replaced = set.get(lowerName);
    if (replaced != null) {
      return replaced;
    }
    String own = remove.contains(lowerName) ? null : Requests.header(base, lowerName);
    return own != null ? own : add.get(lowerName);
  }

  @Override
  public List<String> allHeaders(String lowerName) {
    String replaced = set.get(lowerName);
    String added = add.get(lowerName);
    if (replaced == null && added == null) {
      return remove.contains(lowerName) ? List.of() : Requests.headers(base, lowerName);
    }
    List<String> out = new ArrayList<>(2);
    if (replaced != null) {
      out.add(replaced);
    } else if (!remove.contains(lowerName)) {
      out.addAll(Requests.headers(base, lowerName));
    }
    if (added != null) {
      out.add(added);
    }
    return out;
  }

  @Override
  public void forEachHeader(BiConsumer<String, String> action) {
    Requests.forEachHeader(base, (name, value) -> {
      if (!hidden(FlatHeaders.lower(name))) {
        action.accept(name, value);
      }
    });
    set.forEach(action);
    add.forEach(action);
  }

  @Override
  public boolean headersValidated() {
    // the changes' names and values come from the route config, unchecked here
    return false;
  }
}
