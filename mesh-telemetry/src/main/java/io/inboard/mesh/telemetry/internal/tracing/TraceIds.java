package io.inboard.mesh.telemetry.internal.tracing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random trace and span ids as lower-case hex, for spans that are not recorded (the SDK makes
 * the ids of recorded ones). {@link ThreadLocalRandom}, as the SDK's own id generator, since ids
 * need to be unique, not secret.
 */
final class TraceIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceIds() {}

  /** A new 32-digit trace id, never all zeros. */
  static String newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = r.nextLong();
    long lo;
    do {
      lo = r.nextLong();
    } while (lo == 0);
    char[] c = new char[32];
    write(hi, c, 0);
    write(lo, c, 16);
    return new String(c);
  }

  /** A new 16-digit span id, never all zeros. */
  static String newSpanId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long id;
    do {
      id = r.nextLong();
    } while (id == 0);
    char[] c = new char[16];
    write(id, c, 0);
    return new String(c);
  }

  /** Whether {@code s} is {@code length} hex digits, not all zero. */
  static boolean isValidId(String s, int length) {
    if (s == null || s.length() != length) {
      return false;
    }
    boolean nonZero = false;
    for (int i = 0; i < length; i++) {
      char ch = s.charAt(i);
      boolean digit = ch >= '0' && ch <= '9';
      if (!digit && !(ch >= 'a' && ch <= 'f') && !(ch >= 'A' && ch <= 'F')) {
        return false;
      }
      nonZero |= ch != '0';
    }
    return nonZero;
  }

  private static void write(long v, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }
}
