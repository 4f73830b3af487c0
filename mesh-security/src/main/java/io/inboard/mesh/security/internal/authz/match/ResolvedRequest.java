package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;
import io.inboard.mesh.security.internal.authz.RequestAuth;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A request with the attributes that take work to derive: its normalized path and its remote
 * (original client) address. {@link Authorizer#decide} makes one only when the request needs it
 * (an unusual path, or an {@code x-forwarded-for} header under a rule that reads the remote IP),
 * once per decision, so that the common request is matched as given and allocates nothing.
 */
public final class ResolvedRequest implements AuthzRequest {
  private final AuthzRequest request;
  private final String path;
  private final InetAddress remoteIp;

  private ResolvedRequest(AuthzRequest request, String path, InetAddress remoteIp) {
    this.request = request;
    this.path = path;
    this.remoteIp = remoteIp;
  }

  /** {@code request} itself when it needs no derived attributes, else a resolved view of it. */
  public static AuthzRequest resolve(AuthzRequest request, boolean readsPath, boolean readsRemoteIp) {
    String path = readsPath ? request.path() : null;
    boolean normalize = path != null && PathNormalizer.needsNormalization(path);
    String forwardedFor = readsRemoteIp ? request.header("x-forwarded-for") : null;
    if (!normalize && forwardedFor == null) {
      return request;
    }
    return new ResolvedRequest(request,
        normalize ? PathNormalizer.normalize(path) : request.path(),
        forwardedFor == null ? request.sourceIp() : remoteIp(forwardedFor, request.sourceIp()));
  }

  /** The original client's address: resolved from {@code x-forwarded-for}, else the peer's. */
  static InetAddress remoteIp(AuthzRequest request) {
    return request instanceof ResolvedRequest resolved ? resolved.remoteIp : request.sourceIp();
  }

  /** The right-most address of {@code x-forwarded-for}, the one the nearest proxy added. */
  private static InetAddress remoteIp(String forwardedFor, InetAddress fallback) {
    String last = forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).trim();
    byte[] address = IpLiterals.parse(last);
    if (address == null) {
      return fallback;
    }
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      return fallback;
    }
  }

  @Override public String method() { return request.method(); }
  @Override public String path() { return path; }
  @Override public String host() { return request.host(); }
  @Override public int destinationPort() { return request.destinationPort(); }
  @Override public InetAddress destinationIp() { return request.destinationIp(); }
  @Override public InetAddress sourceIp() { return request.sourceIp(); }
  @Override public String header(String lowerCaseName) { return request.header(lowerCaseName); }
  @Override public String peerPrincipal() { return request.peerPrincipal(); }
  @Override public String sni() { return request.sni(); }
  @Override public RequestAuth requestAuth() { return request.requestAuth(); }
}
