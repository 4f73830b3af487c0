package io.inboard.mesh.security.internal.authz.match;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IP address literals without ever resolving a name: {@link InetAddress#getByName} would
 * look up anything that is not a literal, which neither a policy nor an {@code x-forwarded-for}
 * header may trigger.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /** The 4 or 16 bytes of {@code text}, or {@code null} when it is not an IPv4 or IPv6 literal. */
  static byte[] parse(String text) {
    if (text.isEmpty()) {
      return null;
    }
    return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
  }

  private static byte[] parseIpv4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part == 4) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        if (value == 0) {
          return null; // a leading zero: Istio (Go's netip) rejects it, some parsers read octal
        }
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static byte[] parseIpv6(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') {
        return null;
      }
    }
    try {
      // Only hex digits, ':' and '.': the JDK parses this as an IPv6 literal, never a host name.
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }
}
