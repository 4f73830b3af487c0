package io.inboard.mesh.controlplane.cli;

import io.inboard.mesh.controlplane.internal.inject.InjectionTemplate;
import io.inboard.mesh.controlplane.internal.inject.ManifestInjection;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code inboardctl kube-inject -f FILE|- [-o FILE] [--control-plane-address HOST:PORT]
 * [--ca-address HOST:PORT] [--cluster-id ID]}: the injection webhook's mutation applied offline,
 * as {@code istioctl kube-inject} (see {@link ManifestInjection}); the addresses default to the
 * control plane {@code inboardctl install} deploys. Prints the manifest, or writes it to
 * {@code -o FILE} (nothing is written on error). Exit codes: 0 done; 1 a workload without a pod
 * template; 2 a wrong command line, or input that cannot be read or is not YAML (the message
 * names the file and line).
 */
final class KubeInjectCommand {
  private KubeInjectCommand() {}

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    String file = null;
    String output = null;
    String controlPlane = InjectionTemplate.DEFAULT.controlPlaneAddress();
    String ca = InjectionTemplate.DEFAULT.caAddress();
    String clusterId = InjectionTemplate.DEFAULT.clusterId();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        out.print(InboardCtl.HELP);
        return InboardCtl.OK;
      }
      String name = a.contains("=") && a.startsWith("--") ? a.substring(0, a.indexOf('=')) : a;
      String value;
      if (a.contains("=") && a.startsWith("--")) {
        value = a.substring(a.indexOf('=') + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        return InboardCtl.usage(err, "kube-inject: " + a + ": missing value");
      }
      switch (name) {
        case "-f", "--filename" -> file = value;
        case "-o", "--output" -> output = value;
        case "--control-plane-address" -> controlPlane = value;
        case "--ca-address" -> ca = value;
        case "--cluster-id" -> clusterId = value;
        default -> {
          return InboardCtl.usage(err, "kube-inject: unknown option " + a + " (expected: -f,"
              + " -o, --control-plane-address, --ca-address, --cluster-id)");
        }
      }
    }
    if (file == null) {
      return InboardCtl.usage(err, "kube-inject: expected -f FILE|-");
    }
    InjectionTemplate template;
    try {
      template = new InjectionTemplate(controlPlane, ca, clusterId);
    } catch (IllegalArgumentException e) {
      return InboardCtl.usage(err, "kube-inject: " + e.getMessage());
    }
    String yaml;
    try {
      yaml = file.equals("-") ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(file));
    } catch (IOException e) {
      err.println("error: -f: " + file + ": cannot read (" + e + ") (expected: a readable"
          + " manifest file, or - for stdin)");
      return InboardCtl.UNREADABLE;
    }
    String injected;
    try {
      injected = new ManifestInjection(template).inject(yaml, file);
    } catch (ManifestInjection.ManifestException e) {
      err.println("error: " + e.getMessage());
      return e.unreadable() ? InboardCtl.UNREADABLE : InboardCtl.INVALID;
    }
    if (output == null) {
      out.print(injected);
      out.flush();
      return InboardCtl.OK;
    }
    try {
      Files.writeString(Path.of(output), injected);
      return InboardCtl.OK;
    } catch (IOException e) {
      err.println("error: -o: " + output + ": cannot write (" + e + ")");
      return InboardCtl.UNREADABLE;
    }
  }
}
