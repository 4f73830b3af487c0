package io.inboard.mesh.controlplane.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** Placeholder while the command is written (issue 12); replaced before landing. */
final class KubeInjectCommand {
  private KubeInjectCommand() {}

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    err.println("error: " + args[0] + ": not available yet");
    return InboardCtl.USAGE;
  }
}
