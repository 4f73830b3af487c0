package io.inboard.benchmarks.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process's counters read from {@code /proc}: CPU as {@code utime + stime} (fields 14 and
 * 15 of {@code /proc/<pid>/stat}, in clock ticks), memory and thread count from
 * {@code /proc/<pid>/status}. CPU is read the same way for Java and HAProxy processes, so the
 * paths are charged alike.
 *
 * @param ticks user plus system CPU time, in clock ticks ({@value #CLOCK_TICKS_PER_SECOND} a
 *     second), or {@code -1} if the process could not be read
 * @param rssKb resident set size, in KiB
 * @param hwmKb peak resident set size, in KiB
 * @param threads the process's threads now
 */
public record ProcSample(long ticks, long rssKb, long hwmKb, int threads) {

  /** {@code CLK_TCK} on Linux x86-64: one tick is 10 ms of CPU. */
  static final int CLOCK_TICKS_PER_SECOND = 100;

  public static ProcSample of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      long rss = 0;
      long hwm = 0;
      int threads = 0;
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = digits(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = digits(line);
        } else if (line.startsWith("Threads:")) {
          threads = (int) digits(line);
        }
      }
      return new ProcSample(ticks, rss, hwm, threads);
    } catch (IOException | RuntimeException e) {
      return new ProcSample(-1, 0, 0, 0);
    }
  }

  /** CPU seconds spent between {@code earlier} and this sample, or {@code NaN} if unreadable. */
  public double cpuSecondsSince(ProcSample earlier) {
    if (ticks < 0 || earlier.ticks < 0) {
      return Double.NaN;
    }
    return (ticks - earlier.ticks) / (double) CLOCK_TICKS_PER_SECOND;
  }

  private static long digits(String line) {
    return Long.parseLong(line.replaceAll("\\D", ""));
  }
}
