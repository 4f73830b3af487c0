package io.inboard.mesh.security.internal.authz.match;

import java.net.InetAddress;

/** An IPv4 or IPv6 CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or one address. */
public record IpBlock(byte[] network, int prefixLength) {

  /** Parses {@code a.b.c.d}, {@code a.b.c.d/n}, or the IPv6 forms; {@code null} when invalid. */
  public static IpBlock parse(String text) {
    int slash = text.indexOf('/');
    byte[] address = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
    if (address == null) {
      return null;
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String length = text.substring(slash + 1);
      if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(Character::isDigit)) {
        return null;
      }
      prefix = Integer.parseInt(length);
      if (prefix > bits) {
        return null;
      }
    }
    return new IpBlock(mask(address, prefix), prefix);
  }

  /** Whether {@code address} is in this range; an IPv4 address is never in an IPv6 range. */
  boolean contains(InetAddress address) {
    return address != null && contains(address.getAddress());
  }

  /** Whether the 4 or 16 bytes of an address are in this range. */
  boolean contains(byte[] bytes) {
    if (bytes.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (bytes[full] & mask) == (network[full] & 0xFF);
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & ((0xFF << (8 - keep)) & 0xFF));
    }
    return out;
  }
}
