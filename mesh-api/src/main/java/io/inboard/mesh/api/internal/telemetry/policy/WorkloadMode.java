package io.inboard.mesh.api.internal.telemetry.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A side of a workload's traffic, and Istio's {@code match.mode} that selects sides. */
enum WorkloadMode {
  CLIENT, SERVER;

  private static final List<String> NAMES = List.of("CLIENT_AND_SERVER", "CLIENT", "SERVER");

  /**
   * The sides {@code match} (a {@code match} mapping, possibly absent) selects: {@code mode}
   * CLIENT, SERVER, or CLIENT_AND_SERVER (the default).
   */
  static Set<WorkloadMode> matched(SpecField match) {
    String mode = match.get("mode").oneOf(NAMES, "CLIENT_AND_SERVER");
    return switch (mode) {
      case "CLIENT" -> EnumSet.of(CLIENT);
      case "SERVER" -> EnumSet.of(SERVER);
      default -> EnumSet.allOf(WorkloadMode.class);
    };
  }
}
