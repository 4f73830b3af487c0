package io.inboard.mesh.api.internal.telemetry.policy;

import static java.util.Objects.requireNonNull;

/**
 * A field of a {@code Telemetry} resource that is valid in Istio but that Inboard does not
 * honour (or honours only in part); the control plane shows it on apply and in {@code analyze}.
 *
 * @param resource such as {@code Telemetry default/mesh-default}
 * @param field such as {@code spec.metrics[0].reportingInterval}
 * @param detail what is not honoured and what happens instead
 */
public record TelemetryWarning(String resource, String field, String detail) {
  public TelemetryWarning {
    requireNonNull(resource, "resource");
    requireNonNull(field, "field");
    requireNonNull(detail, "detail");
  }

  /** {@code resource: field: detail}. */
  @Override
  public String toString() {
    return resource + ": " + field + ": " + detail;
  }
}
