package io.inboard.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a result was measured on and how, printed with every run (STYLE.md). */
public final class Machine {
  private Machine() {}

  /** CPUs, CPU model, JVM, OS and the load average: enough to tell two runs' machines apart. */
  public static String describe() {
    Runtime rt = Runtime.getRuntime();
    return "cpus: " + rt.availableProcessors() + " (" + cpuModel() + ")"
        + "\njava: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
        + ", max heap " + rt.maxMemory() / (1024 * 1024) + " MiB"
        + "\nos: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch")
        + "\nload average (1/5/15 min): " + loadAverage();
  }

  /**
   * The command that reproduces this run: as the launcher script passes it in {@code
   * bench.command}, else rebuilt from this JVM's arguments (classpath left out).
   */
  public static String command(String mainClass, String... args) {
    String given = System.getProperty("bench.command");
    if (given != null && !given.isBlank()) {
      return given;
    }
    List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
    return "java " + String.join(" ", jvm) + " -cp <classpath> " + mainClass + " "
        + String.join(" ", args);
  }

  /** {@code /proc/loadavg}'s first three fields: how busy the shared machine was. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown model");
    } catch (IOException e) {
      return "unknown model";
    }
  }
}
