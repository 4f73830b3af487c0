package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;
import java.net.InetAddress;

/** Matches one of the request's addresses against CIDR ranges ({@code ipBlocks}, {@code source.ip}, ...). */
public record IpMatcher(Address address, IpBlock[] blocks) implements RequestMatcher {

  /** Which address of the request is matched. */
  public enum Address {
    /** The connection's peer. */
    SOURCE,
    /** The original client: the right-most {@code x-forwarded-for} address, else the peer. */
    REMOTE,
    /** The local address the request arrived on. */
    DESTINATION
  }

  @Override
  public boolean matches(AuthzRequest request) {
    InetAddress ip = switch (address) {
      case SOURCE -> request.sourceIp();
      case REMOTE -> ResolvedRequest.remoteIp(request);
      case DESTINATION -> request.destinationIp();
    };
    if (ip == null) {
      return false;
    }
    byte[] bytes = ip.getAddress(); // a copy each call: read it once for all blocks
    for (IpBlock block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }
}
