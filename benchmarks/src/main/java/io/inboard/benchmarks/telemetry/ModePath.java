package io.inboard.benchmarks.telemetry;

import io.inboard.benchmarks.http.OpenLoop;

/** One mode's client and meshed server, running in this JVM until closed. */
interface ModePath extends AutoCloseable {

  /** Sends one request; completes with the response body's length. */
  OpenLoop.Call call();

  /** Starts the path of {@code protocol} ({@code http} or {@code grpc}) in {@code mode}. */
  static ModePath start(String protocol, TelemetryMode mode, java.net.URI collector)
      throws Exception {
    return switch (protocol) {
      case "http" -> HttpModePath.start(mode, collector);
      case "grpc" -> GrpcModePath.start(mode, collector);
      default -> throw new IllegalArgumentException(
          "protocol: '" + protocol + "' (expected: http or grpc)");
    };
  }
}
