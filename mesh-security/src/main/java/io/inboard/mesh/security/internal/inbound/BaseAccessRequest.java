package io.inboard.mesh.security.internal.inbound;

import io.inboard.mesh.security.internal.authz.RequestAuth;

/**
 * What every plane's {@link AccessRequest} does alike: the caller's principal as the connection
 * gave it, the JWT identity the check records, and cookies read from the {@code Cookie} header.
 */
public abstract class BaseAccessRequest implements AccessRequest {
  private final String peerPrincipal;
  private RequestAuth auth;

  /** @param peerPrincipal the caller's SPIFFE ID from its certificate, {@code ""} for none */
  protected BaseAccessRequest(String peerPrincipal) {
    this.peerPrincipal = peerPrincipal;
  }

  @Override
  public final String peerPrincipal() {
    return peerPrincipal;
  }

  @Override
  public final RequestAuth requestAuth() {
    return auth;
  }

  @Override
  public final void requestAuth(RequestAuth auth) {
    this.auth = auth;
  }

  @Override
  public String cookie(String name) {
    return RequestParts.cookie(header("cookie"), name);
  }
}
