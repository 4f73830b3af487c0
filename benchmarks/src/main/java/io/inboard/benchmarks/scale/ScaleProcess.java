package io.inboard.benchmarks.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the driver started from its own class path: it writes commands to the JVM's stdin and
 * hands every stdout line to a consumer on a reader thread (stderr goes to the driver's).
 */
final class ScaleProcess implements AutoCloseable {
  private final Process process;
  private final PrintStream in;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

  /**
   * Starts {@code mainClass} with {@code jvmArgs} and {@code args}; lines that {@code
   * events} does not take (returns false) are kept for {@link #reply}.
   */
  ScaleProcess(List<String> jvmArgs, Class<?> mainClass, List<String> args,
      java.util.function.Predicate<String> events) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(args);
    process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> read(events), "read-" + mainClass.getSimpleName());
    reader.setDaemon(true);
    reader.start();
  }

  long pid() {
    return process.pid();
  }

  void send(String command) {
    in.println(command);
  }

  /** The next line no event consumer took, waiting up to {@code seconds}. */
  String reply(int seconds) throws InterruptedException {
    String line = replies.poll(seconds, TimeUnit.SECONDS);
    if (line == null) {
      throw new IllegalStateException("no reply from pid " + pid() + " within " + seconds + " s"
          + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")"));
    }
    return line;
  }

  private void read(java.util.function.Predicate<String> events) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!events.test(line)) {
          replies.add(line);
        }
      }
    } catch (IOException e) {
      replies.add("error " + e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    send("quit");
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

}
