package io.inboard.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The propagation benchmark's knobs, read from {@code key=value} arguments.
 *
 * @param clients the client counts compared, in order (default {@code 1,10,50})
 * @param iterations measured changes per (change kind, client count), spread over the rounds
 *     (default 30)
 * @param rounds passes over every client count; interleaving them spreads the noise of a shared
 *     machine over every count instead of landing on one (default 3)
 * @param warmup unrecorded changes per kind each time a set of clients connects (default 3)
 * @param poll how often the control plane's ACK state is read (default 1 ms)
 * @param settle pause before each change, then every client must be in sync again, so that work
 *     a change starts after its ACK (new subchannels) does not spill into the next, and the
 *     previous change's debounced publication is out (default 300 ms)
 * @param timeout how long one change may take to be ACKed by every client (default 10 s)
 * @param csv where every sample is written, or {@code null} for nowhere (default {@code
 *     benchmarks/target/propagation.csv} relative to the working directory)
 */
record Options(List<Integer> clients, int iterations, int rounds, int warmup, Duration poll,
    Duration settle, Duration timeout, Path csv) {

  static Options parse(String... args) {
    List<Integer> clients = List.of(1, 10, 50);
    int iterations = 30;
    int rounds = 3;
    int warmup = 3;
    Duration poll = Duration.ofMillis(1);
    // longer than the control plane's debounce (100 ms by default), see measureOne
    Duration settle = Duration.ofMillis(300);
    Duration timeout = Duration.ofSeconds(10);
    Path csv = Path.of("benchmarks/target/propagation.csv");
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("argument: '" + arg + "' (expected: key=value)");
      }
      String key = arg.substring(0, eq);
      String value = arg.substring(eq + 1);
      switch (key) {
        case "clients" -> clients = Arrays.stream(value.split(",")).map(String::trim)
            .map(v -> positive(key, v)).toList();
        case "iterations" -> iterations = positive(key, value);
        case "rounds" -> rounds = positive(key, value);
        case "warmup" -> warmup = Integer.parseInt(value);
        case "pollMicros" -> poll = Duration.ofNanos(1000L * positive(key, value));
        case "settleMillis" -> settle = Duration.ofMillis(Integer.parseInt(value));
        case "timeoutMillis" -> timeout = Duration.ofMillis(positive(key, value));
        case "csv" -> csv = value.isEmpty() ? null : Path.of(value);
        default -> throw new IllegalArgumentException("argument: '" + key + "' (expected: one of"
            + " clients, iterations, rounds, warmup, pollMicros, settleMillis, timeoutMillis,"
            + " csv)");
      }
    }
    if (iterations % rounds != 0) {
      throw new IllegalArgumentException("iterations: " + iterations
          + " (expected: a multiple of rounds, " + rounds + ")");
    }
    return new Options(clients, iterations, rounds, warmup, poll, settle, timeout, csv);
  }

  /** Measured changes per (kind, client count) in one round. */
  int perRound() {
    return iterations / rounds;
  }

  private static int positive(String key, String value) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: an integer >= 1)");
    }
    return n;
  }
}
