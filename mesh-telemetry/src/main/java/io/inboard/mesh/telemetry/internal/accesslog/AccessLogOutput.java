package io.inboard.mesh.telemetry.internal.accesslog;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.Encoding;
import java.util.function.Consumer;

/**
 * Where one mesh's access-log lines go: standard output by default, as Envoy's
 * {@code /dev/stdout} logger. A line is formatted on the request's thread and written with one
 * {@link java.io.PrintStream#println} (which holds the stream's lock only for that line).
 */
public final class AccessLogOutput {

  /** Standard output, looked up per line so that a replaced {@code System.out} is honoured. */
  public static final Consumer<String> STDOUT = line -> System.out.println(line);

  private volatile Consumer<String> sink = STDOUT;

  /** A new output writing to {@link #STDOUT}. */
  public AccessLogOutput() {}

  /** Writes {@code r}'s line in {@code encoding}. */
  public void write(RequestReport r, Encoding encoding) {
    sink.accept(encoding == Encoding.JSON ? AccessLogJson.of(r) : AccessLogLine.text(r));
  }

  /** Sends the lines written from now on to {@code sink}. */
  void redirect(Consumer<String> sink) {
    this.sink = requireNonNull(sink, "sink");
  }
}
