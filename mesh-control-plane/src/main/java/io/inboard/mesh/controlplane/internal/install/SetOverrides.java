package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The {@code --set key=value} keys install takes: a small, honest set, named as istioctl's
 * where istioctl has one. Each value is checked; an unknown key or bad value is refused with the
 * key, the value and what was expected, before anything is rendered or applied.
 */
public final class SetOverrides {
  private static final Pattern HUB = Pattern.compile("[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern CPU = Pattern.compile("[0-9]+m|[0-9]+(\\.[0-9]+)?");
  private static final Pattern MEMORY = Pattern.compile("[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?");
  private static final String GATEWAY = "values.gateways.istio-ingressgateway.resources.";
  private static final String PILOT = "values.pilot.resources.";

  /** Every key, with what its value must be. */
  static final Map<String, String> KEYS = keys();

  private SetOverrides() {}

  private static Map<String, String> keys() {
    Map<String, String> k = new LinkedHashMap<>();
    k.put("profile", "minimal, default or demo");
    k.put("hub", "an image registry and path, such as inboard or registry.example.com/inboard");
    k.put("tag", "an image tag, such as 0.1.0");
    k.put("components.ingressGateways.enabled", "true or false");
    k.put("values.pilot.traceSampling", "a percentage, 0.0 to 100.0");
    k.put("meshConfig.accessLogFile", "/dev/stdout (access logs on) or empty (off)");
    for (String p : List.of(PILOT, GATEWAY)) {
      k.put(p + "requests.cpu", "a CPU quantity, such as 100m or 1");
      k.put(p + "requests.memory", "a memory quantity, such as 128Mi");
      k.put(p + "limits.memory", "a memory quantity, such as 512Mi");
    }
    return java.util.Collections.unmodifiableMap(k);
  }

  /**
   * The values of {@code profileOption} (null: {@code default}, or what {@code --set profile}
   * says) with {@code sets} ({@code key=value} each) applied in order.
   *
   * @throws InvalidInstallValueException on a malformed entry, unknown key or bad value
   */
  public static InstallValues apply(String profileOption, List<String> sets) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new InvalidInstallValueException("--set: '" + s + "' (expected: key=value, with"
            + " key one of " + String.join(", ", KEYS.keySet()) + ")");
      }
      String key = s.substring(0, eq);
      if (!KEYS.containsKey(key)) {
        throw new InvalidInstallValueException("--set: unknown key '" + key + "' (value '"
            + s.substring(eq + 1) + "'; expected: one of " + String.join(", ", KEYS.keySet())
            + ")");
      }
      given.put(key, s.substring(eq + 1));
    }
    Profile profile = Profile.parse("--profile", profileOption == null ? "default" : profileOption);
    if (given.containsKey("profile")) {
      Profile set = Profile.parse("--set profile", given.get("profile"));
      if (profileOption != null && set != profile) {
        throw new InvalidInstallValueException("--set profile: '" + set.id() + "' (expected: the"
            + " same as --profile '" + profile.id() + "', or only one of them)");
      }
      profile = set;
    }
    InstallValues v = InstallValues.defaults(profile);
    String hub = checked(given, "hub", v.hub(), HUB);
    String tag = checked(given, "tag", v.tag(), TAG);
    boolean gateway = v.ingressGateway();
    String enabled = given.get("components.ingressGateways.enabled");
    if (enabled != null) {
      if (!enabled.equals("true") && !enabled.equals("false")) {
        throw bad("components.ingressGateways.enabled", enabled);
      }
      gateway = Boolean.parseBoolean(enabled);
    }
    Double sampling = v.traceSampling();
    String s = given.get("values.pilot.traceSampling");
    if (s != null) {
      try {
        sampling = Double.valueOf(s);
      } catch (NumberFormatException e) {
        throw bad("values.pilot.traceSampling", s);
      }
      if (!(sampling >= 0 && sampling <= 100)) {
        throw bad("values.pilot.traceSampling", s);
      }
    }
    String accessLog = v.accessLogFile();
    String a = given.get("meshConfig.accessLogFile");
    if (a != null) {
      if (!a.isEmpty() && !a.equals("/dev/stdout")) {
        throw bad("meshConfig.accessLogFile", a);
      }
      accessLog = a;
    }
    // one of the two alone renders the Telemetry with Istio's default for the other
    if (sampling != null && accessLog == null) {
      accessLog = "";
    } else if (accessLog != null && sampling == null) {
      sampling = 1.0;
    }
    return new InstallValues(profile, hub, tag, gateway, sampling, accessLog,
        resources(given, PILOT, v.pilot()), resources(given, GATEWAY, v.gateway()));
  }

  private static InstallValues.Resources resources(Map<String, String> given, String prefix,
      InstallValues.Resources defaults) {
    InstallValues.Resources r = new InstallValues.Resources(
        checked(given, prefix + "requests.cpu", defaults.cpu(), CPU),
        checked(given, prefix + "requests.memory", defaults.memory(), MEMORY),
        checked(given, prefix + "limits.memory", defaults.memoryLimit(), MEMORY));
    BiFunction<String, String, Integer> cmp = (x, y) ->
        Quantity.getAmountInBytes(new Quantity(x)).compareTo(Quantity.getAmountInBytes(
            new Quantity(y)));
    if (cmp.apply(r.memory(), r.memoryLimit()) > 0) {
      throw new InvalidInstallValueException(prefix + "requests.memory: '" + r.memory()
          + "' (expected: at most " + prefix + "limits.memory, '" + r.memoryLimit() + "')");
    }
    return r;
  }

  private static String checked(Map<String, String> given, String key, String defaultValue,
      Pattern pattern) {
    String value = given.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!pattern.matcher(value).matches()) {
      throw bad(key, value);
    }
    return value;
  }

  private static InvalidInstallValueException bad(String key, String value) {
    return new InvalidInstallValueException("--set " + key + ": '" + value + "' (expected: "
        + Objects.requireNonNull(KEYS.get(key)) + ")");
  }
}
