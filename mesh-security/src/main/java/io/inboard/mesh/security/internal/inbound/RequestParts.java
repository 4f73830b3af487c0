package io.inboard.mesh.security.internal.inbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * Reading the parts of a request that every plane's {@link AccessRequest} needs alike, straight
 * from the raw text: a query parameter, a cookie, a header's values joined. Only called when a
 * compiled rule asks for that part.
 */
public final class RequestParts {
  private RequestParts() {}

  /**
   * The first value of {@code name} in the raw (still encoded) query {@code rawQuery}, decoded;
   * {@code null} when absent. Reads the query only: a form body is never touched.
   */
  public static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    int i = 0;
    while (i <= rawQuery.length()) {
      int amp = rawQuery.indexOf('&', i);
      int end = amp < 0 ? rawQuery.length() : amp;
      int eq = rawQuery.indexOf('=', i);
      int keyEnd = eq < 0 || eq > end ? end : eq;
      String key = decode(rawQuery.substring(i, keyEnd));
      if (key.equals(name)) {
        return keyEnd == end ? "" : decode(rawQuery.substring(keyEnd + 1, end));
      }
      if (amp < 0) {
        break;
      }
      i = amp + 1;
    }
    return null;
  }

  /** The value of cookie {@code name} in a {@code Cookie} header value, or {@code null}. */
  public static String cookie(String cookieHeader, String name) {
    if (cookieHeader == null) {
      return null;
    }
    for (String pair : cookieHeader.split("[;,]")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
        String v = pair.substring(eq + 1).trim();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
            ? v.substring(1, v.length() - 1) : v;
      }
    }
    return null;
  }

  /** {@code values} joined by {@code ","}, as Envoy matches a repeated header; {@code null} for none. */
  public static String joined(Iterator<String> values) {
    if (values == null || !values.hasNext()) {
      return null;
    }
    String first = values.next();
    if (!values.hasNext()) {
      return first;
    }
    StringBuilder b = new StringBuilder(first);
    while (values.hasNext()) {
      b.append(',').append(values.next());
    }
    return b.toString();
  }

  /** The IP of {@code address}, or {@code null} when it is not an IP socket address. */
  public static InetAddress ip(SocketAddress address) {
    return address instanceof InetSocketAddress i ? i.getAddress() : null;
  }

  /** The port of {@code address}, or {@code -1}. */
  public static int port(SocketAddress address) {
    return address instanceof InetSocketAddress i ? i.getPort() : -1;
  }

  /**
   * {@code literal} (an IPv4 or IPv6 address as text, as servlet containers report addresses)
   * as an address, without any name lookup; {@code null} when it is not an IP literal.
   */
  public static InetAddress ipLiteral(String literal) {
    if (literal == null || literal.isEmpty()) {
      return null;
    }
    String s = literal.startsWith("[") && literal.endsWith("]")
        ? literal.substring(1, literal.length() - 1) : literal;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
          || c == '.' || c == ':' || c == '%';
      if (!ok) {
        return null; // a host name: never resolve it on the request path
      }
    }
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  /** The host name the client asked for in TLS's SNI on {@code session}, or {@code ""}. */
  public static String sni(SSLSession session) {
    if (session instanceof ExtendedSSLSession tls) {
      for (SNIServerName n : tls.getRequestedServerNames()) {
        if (n instanceof SNIHostName h) {
          return h.getAsciiName();
        }
      }
    }
    return "";
  }

  private static String decode(String s) {
    return s.indexOf('%') < 0 && s.indexOf('+') < 0 ? s
        : URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
