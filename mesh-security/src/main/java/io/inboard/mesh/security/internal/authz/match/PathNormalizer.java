package io.inboard.mesh.security.internal.authz.match;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalizes a request path as Envoy does before Istio's path rules see it (RFC 3986 §6:
 * percent-encoded unreserved characters decoded, then {@code .} and {@code ..} segments
 * resolved), and also merges repeated slashes, so that {@code /a/../admin} and {@code //admin}
 * cannot slip past a DENY on {@code /admin}. The check is a single scan; most paths need nothing.
 */
public final class PathNormalizer {
  private PathNormalizer() {}

  /** Whether {@code path} has a {@code %}, a {@code .} or {@code ..} segment, or {@code //}. */
  static boolean needsNormalization(String path) {
    int n = path.length();
    for (int i = 0; i < n; i++) {
      char c = path.charAt(i);
      if (c == '%') {
        return true;
      }
      if (c == '/' && i + 1 < n) {
        char next = path.charAt(i + 1);
        if (next == '/') {
          return true;
        }
        if (next == '.') {
          int end = i + 2 < n && path.charAt(i + 2) == '.' ? i + 3 : i + 2;
          if (end == n || path.charAt(end) == '/') {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** {@code path} normalized; a path that does not start with {@code /} is only decoded. */
  static String normalize(String path) {
    String decoded = decodeUnreserved(path);
    if (!decoded.startsWith("/")) {
      return decoded;
    }
    List<String> segments = new ArrayList<>();
    String[] parts = decoded.split("/", -1);
    for (String part : parts) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!segments.isEmpty()) {
          segments.remove(segments.size() - 1);
        }
      } else {
        segments.add(part);
      }
    }
    String last = parts[parts.length - 1];
    boolean trailingSlash = last.isEmpty() || last.equals(".") || last.equals("..");
    String joined = "/" + String.join("/", segments);
    return trailingSlash && !segments.isEmpty() ? joined + "/" : joined;
  }

  /** Decodes {@code %XX} only where it encodes an unreserved character (RFC 3986 §2.3). */
  private static String decodeUnreserved(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()) {
        int hi = Character.digit(path.charAt(i + 1), 16);
        int lo = Character.digit(path.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0 && isUnreserved((char) (hi * 16 + lo))) {
          out.append((char) (hi * 16 + lo));
          i += 2;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}
