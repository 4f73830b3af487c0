package io.inboard.mesh.security.internal.inbound;

import io.inboard.mesh.security.internal.authz.AuthzRequest;
import io.inboard.mesh.security.internal.authz.RequestAuth;
import io.inboard.mesh.security.internal.jwt.TokenSource;

/**
 * One inbound request as the access check reads it: where its token may be, and what
 * authorization matches on. Each plane implements it once, over its own request object.
 */
public interface AccessRequest extends AuthzRequest, TokenSource {

  /** Records the identity the request's verified token gave, for {@link #requestAuth()}. */
  void requestAuth(RequestAuth auth);
}
