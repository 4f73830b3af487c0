package io.inboard.mesh.api.inbound;

import static java.util.Objects.requireNonNull;

/** What an {@link InboundGuard} decides for a request: let it through, or refuse it. */
public sealed interface InboundDecision {

  /** Lets the request through to the next guard, then the application. */
  InboundDecision ALLOW = new Allow();

  /** Refuses with {@code 403}/{@code PERMISSION_DENIED} and {@code message}. */
  static InboundDecision deny(String message) {
    return new Deny(Reason.PERMISSION_DENIED, message);
  }

  /** Refuses with {@code 401}/{@code UNAUTHENTICATED} and {@code message}. */
  static InboundDecision unauthenticated(String message) {
    return new Deny(Reason.UNAUTHENTICATED, message);
  }

  /** Lets the request through. */
  record Allow() implements InboundDecision {}

  /**
   * Refuses the request; the application never sees it.
   *
   * @param reason what the caller is told, as an HTTP status or a gRPC status
   * @param message the body (HTTP) or status description (gRPC), such as Istio's
   *     {@code RBAC: access denied}
   */
  record Deny(Reason reason, String message) implements InboundDecision {
    public Deny {
      requireNonNull(reason, "reason");
      requireNonNull(message, "message");
    }
  }

  /** Why a request is refused, with its HTTP and gRPC form. */
  enum Reason {
    /** No acceptable credentials: HTTP 401, gRPC {@code UNAUTHENTICATED} (16). */
    UNAUTHENTICATED(401, 16),
    /** Credentials known, access not allowed: HTTP 403, gRPC {@code PERMISSION_DENIED} (7). */
    PERMISSION_DENIED(403, 7);

    private final int httpStatus;
    private final int grpcCode;

    Reason(int httpStatus, int grpcCode) {
      this.httpStatus = httpStatus;
      this.grpcCode = grpcCode;
    }

    /** The HTTP status a refused HTTP request gets. */
    public int httpStatus() {
      return httpStatus;
    }

    /** The gRPC status code number a refused call gets. */
    public int grpcCode() {
      return grpcCode;
    }
  }
}
