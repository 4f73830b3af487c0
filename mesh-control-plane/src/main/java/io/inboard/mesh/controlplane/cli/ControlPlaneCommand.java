package io.inboard.mesh.controlplane.cli;

import io.inboard.mesh.controlplane.ControlPlane;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code inboardctl control-plane}: runs a control plane until interrupted or terminated. */
final class ControlPlaneCommand {
  private ControlPlaneCommand() {}

  static int run(Map<String, String> options, PrintStream out, PrintStream err) {
    if (options.containsKey("--kubernetes")) {
      err.println("error: --kubernetes: not yet supported (expected: --config-dir DIR, or no"
          + " source for auto-registration and apply only)");
      return InboardCtl.USAGE;
    }
    for (String o : options.keySet()) {
      if (!Map.of("--config-dir", 0, "--xds-port", 0, "--admin-port", 0, "--host", 0,
          "--grace-period", 0).containsKey(o)) {
        return InboardCtl.usage(err, "control-plane: unknown option " + o);
      }
    }
    ControlPlane.Builder b = ControlPlane.builder();
    try {
      b.xdsPort(number(options, "--xds-port", "15010", "a port 0..65535").intValue());
      b.adminPort(number(options, "--admin-port", "15014", "a port 0..65535").intValue());
      b.host(options.getOrDefault("--host", "127.0.0.1"));
      b.registrationGracePeriod(Duration.ofMillis(
          (long) (number(options, "--grace-period", "10", "seconds >= 0").doubleValue() * 1000)));
    } catch (IllegalArgumentException e) {
      return InboardCtl.usage(err, e.getMessage());
    }
    String dir = options.get("--config-dir");
    if (dir != null) {
      if (!Files.isDirectory(Path.of(dir))) {
        return InboardCtl.usage(err, "--config-dir: " + dir + " (expected: a directory)");
      }
      b.configDirectory(Path.of(dir));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (ControlPlane cp = b.start()) {
      Thread hook = new Thread(stopped::countDown, "inboardctl-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("xds   " + cp.xdsAddress());
      out.println("admin " + cp.adminUrl());
      if (dir != null) {
        out.println("config-dir " + Path.of(dir).toAbsolutePath());
        cp.diagnostics().all().forEach(d -> out.println(d));
      }
      out.flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook has run
      }
      return InboardCtl.OK;
    } catch (IOException e) {
      err.println("error: cannot start the control plane: " + e);
      return InboardCtl.UNAVAILABLE;
    }
  }

  private static Number number(Map<String, String> options, String name, String defaultValue,
      String expected) {
    String raw = options.getOrDefault(name, defaultValue);
    try {
      return raw.contains(".") ? Double.parseDouble(raw) : Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + raw + "' (expected: " + expected + ")");
    }
  }
}
