package io.inboard.mesh.controlplane.internal.parse;

/** A field of a resource holds a value that cannot be accepted. */
public final class FieldException extends IllegalArgumentException {
  private final String field;
  private final String detail;

  /**
   * @param field the field path, for example {@code spec.http[0].timeout}
   * @param detail the value and what was expected: {@code '1x' (expected: a duration)}
   */
  public FieldException(String field, String detail) {
    super(field + ": " + detail);
    this.field = field;
    this.detail = detail;
  }

  public String field() {
    return field;
  }

  public String detail() {
    return detail;
  }
}
