package io.inboard.e2e.graph;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, run headless: the DOM a page has after its scripts ran, and a
 * screenshot. Missing, it fails the test with how to install it: CI installs it, and a browser
 * test that skips silently proves nothing.
 */
final class HeadlessChromium {
  private final Path binary;

  private HeadlessChromium(Path binary) {
    this.binary = binary;
  }

  /**
   * The chromium on the {@code PATH} (or {@code /usr/bin/chromium}).
   *
   * @throws AssertionError saying how to install it, when there is none
   */
  static HeadlessChromium find() {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "chromium"));
      }
    }
    candidates.add(Path.of("/usr/bin/chromium"));
    for (Path p : candidates) {
      if (Files.isExecutable(p)) {
        return new HeadlessChromium(p);
      }
    }
    throw new AssertionError("chromium: not found on PATH or at /usr/bin/chromium (expected:"
        + " Debian's headless browser for the service-graph page test; run"
        + " `sudo apt-get install chromium`, as CI does)");
  }

  /** The page's DOM after {@code budgetMillis} of virtual time for its scripts. */
  String dumpDom(String url, int budgetMillis) throws IOException, InterruptedException {
    return run(List.of("--virtual-time-budget=" + budgetMillis, "--dump-dom", url));
  }

  /** Writes a PNG of the page, {@code width} by {@code height}, after its scripts ran. */
  void screenshot(String url, Path png, int width, int height, int budgetMillis)
      throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    run(List.of("--virtual-time-budget=" + budgetMillis, "--hide-scrollbars",
        "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, url));
  }

  private String run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--user-data-dir=" + Files.createTempDirectory("inboard-chromium-")));
    command.addAll(args);
    Path out = Files.createTempFile("chromium-", ".out");
    Path err = Files.createTempFile("chromium-", ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium: no result within 60 s: " + command + "\n"
          + Files.readString(err, StandardCharsets.UTF_8));
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium: exit " + p.exitValue() + ": " + command + "\n"
          + Files.readString(err, StandardCharsets.UTF_8));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
