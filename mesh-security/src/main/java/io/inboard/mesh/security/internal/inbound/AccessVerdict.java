package io.inboard.mesh.security.internal.inbound;

import io.inboard.mesh.security.internal.jwt.HeaderChange;
import java.util.List;

/** What the access check decided for one request. */
public sealed interface AccessVerdict {

  /** The verdict when no policy applies, or nothing is to change. */
  Allow ALLOW = new Allow(List.of());

  /**
   * The request goes on, after {@code changes} (JWT: token removed, claims to headers).
   *
   * @param changes header changes to make before the application sees the request, in order
   */
  record Allow(List<HeaderChange> changes) implements AccessVerdict {
    public Allow {
      changes = List.copyOf(changes);
    }
  }

  /**
   * The request is refused.
   *
   * @param httpStatus 401 (a token that is not valid) or 403 (authorization)
   * @param grpcCode {@code UNAUTHENTICATED} (16) or {@code PERMISSION_DENIED} (7)
   * @param message the body, as Envoy writes it: {@code RBAC: access denied}, {@code Jwt is
   *     expired}...
   */
  record Deny(int httpStatus, int grpcCode, String message) implements AccessVerdict {}

  /** Refused by authorization: Envoy's 403 and body. */
  Deny RBAC_DENIED = new Deny(403, 7, "RBAC: access denied");
}
