package io.inboard.mesh.http.internal.resilience;

/**
 * Tells the circuit breaker that a call ended with a 5xx response. Never thrown to callers,
 * so it carries no stack trace.
 */
final class ServerErrorResponse extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ServerErrorResponse(int status) {
    super("status " + status, null, false, false);
  }
}
