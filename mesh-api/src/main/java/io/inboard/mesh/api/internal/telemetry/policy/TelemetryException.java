package io.inboard.mesh.api.internal.telemetry.policy;

/**
 * A {@code Telemetry} resource that cannot be applied: the message names the resource, the field,
 * the value and what was expected.
 */
public final class TelemetryException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final String field;

  /**
   * @param resource such as {@code Telemetry default/mesh-default}
   * @param field such as {@code spec.tracing[0].randomSamplingPercentage}
   * @param detail the value and what was expected
   */
  public TelemetryException(String resource, String field, String detail) {
    super(resource + ": " + field + ": " + detail);
    this.resource = resource;
    this.field = field;
  }

  /** The resource. */
  public String resource() {
    return resource;
  }

  /** The field path. */
  public String field() {
    return field;
  }
}
