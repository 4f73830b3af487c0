package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

/**
 * One finding about a resource: an error that rejects it, a field that clients cannot honour,
 * or a kind that is stored but not served yet.
 *
 * @param severity how serious the finding is
 * @param resource the resource it is about
 * @param field the field path, for example {@code spec.http[0].route[1].weight}, or {@code ""}
 *     for the resource as a whole
 * @param message the value and what was expected, or why the field is not honoured
 */
public record Diagnostic(Severity severity, ResourceId resource, String field, String message) {

  /** How serious a finding is. */
  public enum Severity {
    /** The resource is invalid and was rejected; the previous config stays served. */
    ERROR,
    /** The resource was accepted, but a field it sets is not honoured by gRPC clients. */
    WARNING,
    /** The resource was stored, but its kind is not translated to xDS yet. */
    NOT_SERVED
  }

  public Diagnostic {
    requireNonNull(severity, "severity");
    requireNonNull(resource, "resource");
    requireNonNull(field, "field");
    requireNonNull(message, "message");
  }

  /** Reads {@code VirtualService default/reviews: spec.http[0].timeout: '1x' (expected: ...)}. */
  @Override
  public String toString() {
    String prefix = severity == Severity.ERROR ? "" : severity + " ";
    return prefix + resource + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }
}
