package io.inboard.mesh.security.internal.jwt;

import io.inboard.mesh.security.internal.authz.RequestAuth;
import java.util.List;

/** What the JWT step decided for one request. */
public sealed interface JwtOutcome {

  /** No token in any configured location: the request goes on with no request principal. */
  record NoToken() implements JwtOutcome {
    public static final NoToken INSTANCE = new NoToken();
  }

  /**
   * A valid token.
   *
   * @param auth the identity it gives
   * @param changes the header changes to make before the application sees the request (the
   *     token removed unless {@code forwardOriginalToken}, {@code outputPayloadToHeader}, {@code
   *     outputClaimToHeaders}), in order
   */
  record Authenticated(RequestAuth auth, List<HeaderChange> changes) implements JwtOutcome {
    public Authenticated {
      changes = List.copyOf(changes);
    }
  }

  /**
   * A token that is present but not valid (expired, bad signature, unknown issuer, wrong
   * audience, keys unavailable): the request gets 401.
   *
   * @param reason Envoy's wording where it has one, such as {@code Jwt is expired} or {@code
   *     Jwt verification fails}; sent as the response body
   */
  record Rejected(String reason) implements JwtOutcome {}
}
