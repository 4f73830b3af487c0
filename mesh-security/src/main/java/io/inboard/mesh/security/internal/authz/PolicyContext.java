package io.inboard.mesh.security.internal.authz;

import java.util.List;

/**
 * What compiling one policy needs to know and report: the policy's id and action for errors and
 * fail-closed choices, and what the whole {@link Authorizer} will read of each request.
 */
final class PolicyContext {
  final String id;
  /** The policy's namespace: the namespace of a service account named without one. */
  final String namespace;
  PolicyAction action = PolicyAction.ALLOW;
  private final List<String> warnings;
  private final Reads reads;

  /** What the compiled rules read of a request, so that a decision skips the rest. */
  static final class Reads {
    boolean path;
    boolean remoteIp;
  }

  PolicyContext(String namespace, String id, List<String> warnings, Reads reads) {
    this.namespace = namespace;
    this.id = id;
    this.warnings = warnings;
    this.reads = reads;
  }

  Reads reads() {
    return reads;
  }

  /** An error at {@code field}: {@code '<value>' (expected: <expected>)}. */
  PolicyException error(String field, Object value, String expected) {
    return new PolicyException(id, field, "'" + value + "' (expected: " + expected + ")");
  }

  void warn(String message) {
    warnings.add(id + ": " + message);
  }
}
