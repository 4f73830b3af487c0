package io.inboard.mesh.security.internal.authz;

/**
 * A security resource that cannot be compiled: names the resource, the field (a path from
 * {@code spec}, such as {@code spec.rules[0].from[0].source.ipBlocks[1]}), and what was wrong
 * with its value and what was expected.
 */
public final class PolicyException extends IllegalArgumentException {
  private final String resource;
  private final String field;
  private final String detail;

  /**
   * @param resource {@code namespace/name}
   * @param field the path of the field, from {@code spec}
   * @param detail the value and what was expected: {@code '10.0.0.0/33' (expected: ...)}
   */
  public PolicyException(String resource, String field, String detail) {
    super(resource + ": " + field + ": " + detail);
    this.resource = resource;
    this.field = field;
    this.detail = detail;
  }

  /** {@code namespace/name}. */
  public String resource() {
    return resource;
  }

  /** The path of the field from {@code spec}, such as {@code spec.rules[0].when[1].key}. */
  public String field() {
    return field;
  }

  /** The value and what was expected. */
  public String detail() {
    return detail;
  }
}
