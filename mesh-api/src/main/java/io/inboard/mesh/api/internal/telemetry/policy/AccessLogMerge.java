package io.inboard.mesh.api.internal.telemetry.policy;

import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.CodeFilter;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.Encoding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Merges {@code accessLogging[]} entries in precedence order, as Istio's {@code mergeLogs}:
 *
 * <ul>
 *   <li>the providers in scope are those the last resource that names any names (all its
 *       entries together);
 *   <li>an entry without {@code providers} inherits the previous entry's;
 *   <li>for the sides its {@code match.mode} selects, an entry turns each of its providers in
 *       scope on, or off with {@code disabled: true};
 *   <li>a provider's filter is that of the last entry that names it.
 * </ul>
 *
 * Naming a provider is what turns logging on. Inboard writes Istio's built-in logs only:
 * {@code envoy} (the text line) and {@code envoy-json} (the same fields as JSON).
 */
final class AccessLogMerge {
  private static final Map<String, Encoding> BUILT_IN =
      Map.of("envoy", Encoding.TEXT, "envoy-json", Encoding.JSON);

  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, CodeFilter> filters = new HashMap<>();
  private final Map<String, SpecField> namedAt = new HashMap<>();
  private Set<String> inScope = Set.of();

  private record Entry(List<String> providers, Set<WorkloadMode> modes, boolean disabled) {}

  /** Reads the {@code accessLogging} list of one resource. */
  void addResource(SpecField list, List<TelemetryWarning> warnings) {
    Set<String> named = new LinkedHashSet<>();
    for (SpecField entry : list.list()) {
      entry.onlyKeys(Set.of("match", "providers", "disabled", "filter"));
      Set<WorkloadMode> modes = WorkloadMode.matched(entry.get("match").onlyKeys(Set.of("mode")));
      List<String> providers = new ArrayList<>();
      for (String p : ProviderNames.of(entry.get("providers"))) {
        String name = p.toLowerCase(Locale.ROOT);
        providers.add(name);
        if (!BUILT_IN.containsKey(name)) {
          warnings.add(entry.get("providers").warn("provider '" + p + "' not honoured: Inboard"
              + " writes Istio's built-in logs only (expected: envoy or envoy-json)"));
        }
      }
      boolean disabled = entry.get("disabled").present() && entry.get("disabled").bool();
      CodeFilter filter = filter(entry.get("filter"), warnings);
      providers.forEach(p -> {
        filters.put(p, filter);
        namedAt.put(p, entry.get("providers"));
      });
      named.addAll(providers);
      entries.add(new Entry(providers, modes, disabled));
    }
    if (!named.isEmpty()) {
      inScope = Set.copyOf(named);
    }
  }

  private static CodeFilter filter(SpecField filter, List<TelemetryWarning> warnings) {
    if (!filter.present()) {
      return CodeFilter.ALL;
    }
    filter.onlyKeys(Set.of("expression"));
    SpecField expression = filter.get("expression");
    if (!expression.present()) {
      return CodeFilter.ALL;
    }
    Optional<CodeFilter> parsed = CelValues.codeFilter(expression.string());
    if (parsed.isEmpty()) {
      warnings.add(expression.warn("'" + expression.string() + "' not honoured: Inboard"
          + " evaluates " + CelValues.FILTERS + "; every request is logged"));
      return CodeFilter.ALL;
    }
    return parsed.get();
  }

  /** The merged rules of one side; a second built-in log that is on is reported. */
  AccessLogRules rules(WorkloadMode mode, List<TelemetryWarning> warnings) {
    Map<String, CodeFilter> on = new LinkedHashMap<>();
    List<String> parent = List.of();
    for (Entry e : entries) {
      List<String> providers = e.providers().isEmpty() ? parent : e.providers();
      parent = providers;
      for (String p : providers) {
        if (!inScope.contains(p) || !e.modes().contains(mode)) {
          continue;
        }
        if (e.disabled()) {
          on.remove(p);
        } else {
          on.put(p, filters.get(p));
        }
      }
    }
    // the text line when both built-in logs are on: a workload writes one line per request
    if (on.containsKey("envoy") && on.containsKey("envoy-json")) {
      TelemetryWarning w = namedAt.get("envoy-json").warn("provider 'envoy-json' not honoured"
          + " while 'envoy' is also on: a workload writes one line per request, the text one");
      if (!warnings.contains(w)) {
        warnings.add(w);
      }
    }
    for (String p : List.of("envoy", "envoy-json")) {
      if (on.containsKey(p)) {
        return new AccessLogRules(true, BUILT_IN.get(p), on.get(p));
      }
    }
    return AccessLogRules.DEFAULT;
  }
}
