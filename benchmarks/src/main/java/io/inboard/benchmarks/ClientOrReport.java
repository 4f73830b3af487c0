package io.inboard.benchmarks;

import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code main} of a harness whose JVM is either one client run ({@code client key=value...})
 * or the report over the runs' lines ({@code report in=FILE [out=FILE]}).
 */
public final class ClientOrReport {

  /** One client run with its {@code key=value} arguments. */
  public interface Client {
    void run(Map<String, String> arguments) throws Exception;
  }

  /** Writes the report of the run lines in {@code in} to {@code out} (null: standard output). */
  public interface Report {
    void write(Path in, Path out) throws Exception;
  }

  private ClientOrReport() {}

  /** Runs the command {@code args[0]} names, then exits the JVM (client threads may linger). */
  public static void main(String[] args, Client client, Report report) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("command: none (expected: client or report)");
    }
    Map<String, String> a = HttpOverheadBenchmark.arguments(args, 1);
    switch (args[0]) {
      case "client" -> client.run(a);
      case "report" -> report.write(Path.of(a.get("in")),
          a.containsKey("out") ? Path.of(a.get("out")) : null);
      default -> throw new IllegalArgumentException(
          "command: '" + args[0] + "' (expected: client or report)");
    }
    System.exit(0);
  }
}
