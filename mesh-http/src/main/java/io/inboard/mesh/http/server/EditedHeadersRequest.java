package io.inboard.mesh.http.server;

import io.inboard.mesh.security.internal.jwt.HeaderChange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The request the application sees after the JWT step changed its headers: the token's header
 * removed, claims written as headers. Only the changed names are overridden.
 */
final class EditedHeadersRequest extends HttpServletRequestWrapper {
  // lower-case name -> the value set, or null when removed
  private final Map<String, String> changed = new TreeMap<>();

  EditedHeadersRequest(HttpServletRequest request, List<HeaderChange> changes) {
    super(request);
    for (HeaderChange c : changes) {
      changed.put(c.name().toLowerCase(Locale.ROOT), c.value());
    }
  }

  @Override
  public String getHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return changed.containsKey(lower) ? changed.get(lower) : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (!changed.containsKey(lower)) {
      return super.getHeaders(name);
    }
    String v = changed.get(lower);
    return Collections.enumeration(v == null ? List.of() : List.of(v));
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String n : Collections.list(super.getHeaderNames())) {
      String lower = n.toLowerCase(Locale.ROOT);
      if (!changed.containsKey(lower) || changed.get(lower) != null) {
        names.add(n);
      }
    }
    changed.forEach((n, v) -> {
      if (v != null && names.stream().noneMatch(x -> x.equalsIgnoreCase(n))) {
        names.add(n);
      }
    });
    return Collections.enumeration(names);
  }
}
