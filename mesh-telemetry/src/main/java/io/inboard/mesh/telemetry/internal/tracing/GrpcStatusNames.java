package io.inboard.mesh.telemetry.internal.tracing;

/**
 * gRPC status numbers as the names OpenTelemetry's {@code rpc.status_code} takes, and which of
 * them make a span an error on each side (semantic conventions: a client treats every non-OK
 * status as an error; a server only those that mean it failed, not that the caller erred).
 */
final class GrpcStatusNames {

  private static final String[] NAMES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
      "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

  private GrpcStatusNames() {}

  /** The status number of {@code text} ({@code "0"}..{@code "16"}), or {@code -1}. */
  static int number(String text) {
    if (text == null || text.isEmpty() || text.length() > 2) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      int d = text.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      n = n * 10 + d;
    }
    return n < NAMES.length ? n : -1;
  }

  /** The name of status {@code number}, or {@code null} for none. */
  static String name(int number) {
    return number >= 0 && number < NAMES.length ? NAMES[number] : null;
  }

  /**
   * Whether a server span ends in error: UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL,
   * UNAVAILABLE, DATA_LOSS, or no status at all.
   */
  static boolean serverError(int number) {
    return switch (number) {
      case 2, 4, 12, 13, 14, 15, -1 -> true;
      default -> false;
    };
  }

  /** Whether a client span ends in error: any status but OK, or none. */
  static boolean clientError(int number) {
    return number != 0;
  }
}
