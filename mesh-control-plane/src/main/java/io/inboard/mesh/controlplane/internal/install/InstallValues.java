package io.inboard.mesh.controlplane.internal.install;

import java.util.Map;

/**
 * What install renders: a profile's defaults with the {@code --set} overrides applied (see
 * {@link SetOverrides}). Resource quantities are Kubernetes quantities ({@code 200m},
 * {@code 256Mi}); {@code traceSampling} is a percentage; {@code traceSampling} and
 * {@code accessLogFile} are null when neither the profile nor --set asks for mesh-wide telemetry.
 */
public record InstallValues(Profile profile, String hub, String tag, boolean ingressGateway,
    Double traceSampling, String accessLogFile, Resources pilot, Resources gateway) {

  /** A container's requests and memory limit. */
  public record Resources(String cpu, String memory, String memoryLimit) {}

  /** The profile's defaults, before any --set. */
  public static InstallValues defaults(Profile profile) {
    return switch (profile) {
      case MINIMAL -> new InstallValues(profile, "inboard", "0.1.0", false, null, null,
          new Resources("200m", "256Mi", "512Mi"), new Resources("100m", "128Mi", "512Mi"));
      case DEFAULT -> new InstallValues(profile, "inboard", "0.1.0", true, null, null,
          new Resources("200m", "256Mi", "512Mi"), new Resources("100m", "128Mi", "512Mi"));
      // Istio's demo: every request traced, access logs to stdout, tiny requests
      case DEMO -> new InstallValues(profile, "inboard", "0.1.0", true, 100.0, "/dev/stdout",
          new Resources("10m", "64Mi", "512Mi"), new Resources("10m", "64Mi", "512Mi"));
    };
  }

  /** Whether the mesh-wide Telemetry {@code istio-system/mesh-default} is rendered. */
  public boolean meshTelemetry() {
    return traceSampling != null || accessLogFile != null;
  }

  /** The template placeholders and their values. */
  Map<String, String> placeholders() {
    java.math.BigDecimal sampling = java.math.BigDecimal.valueOf(
        traceSampling == null ? 1.0 : traceSampling).stripTrailingZeros();
    return Map.ofEntries(Map.entry("hub", hub), Map.entry("tag", tag),
        Map.entry("pilot.cpu", pilot.cpu()), Map.entry("pilot.memory", pilot.memory()),
        Map.entry("pilot.memoryLimit", pilot.memoryLimit()),
        Map.entry("gateway.cpu", gateway.cpu()), Map.entry("gateway.memory", gateway.memory()),
        Map.entry("gateway.memoryLimit", gateway.memoryLimit()),
        Map.entry("traceSampling", sampling.toPlainString()),
        Map.entry("accessLogDisabled",
            String.valueOf(accessLogFile == null || accessLogFile.isEmpty())));
  }
}
