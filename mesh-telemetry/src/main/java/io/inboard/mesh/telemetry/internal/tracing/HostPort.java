package io.inboard.mesh.telemetry.internal.tracing;

/**
 * A {@code host[:port]} as the request details carry it ({@code reviews:9080},
 * {@code 10.0.0.7:9080}, {@code [::1]:8080}); IPv6 brackets are dropped, as the semantic
 * conventions write addresses.
 *
 * @param host the host, {@code ""} when unknown
 * @param port the port, or {@code -1}
 */
record HostPort(String host, int port) {

  static final HostPort NONE = new HostPort("", -1);

  static HostPort parse(String s) {
    if (s == null || s.isEmpty()) {
      return NONE;
    }
    if (s.charAt(0) == '[') {
      int close = s.indexOf(']');
      if (close < 0) {
        return new HostPort(s, -1);
      }
      String host = s.substring(1, close);
      return new HostPort(host, close + 1 < s.length() && s.charAt(close + 1) == ':'
          ? port(s.substring(close + 2)) : -1);
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0 || s.indexOf(':') != colon) {
      return new HostPort(s, -1); // no port, or a bare IPv6 address
    }
    return new HostPort(s.substring(0, colon), port(s.substring(colon + 1)));
  }

  private static int port(String s) {
    try {
      int p = Integer.parseInt(s);
      return p >= 0 && p <= 65535 ? p : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
