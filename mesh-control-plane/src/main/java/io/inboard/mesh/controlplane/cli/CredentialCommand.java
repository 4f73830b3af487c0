package io.inboard.mesh.controlplane.cli;

import io.inboard.mesh.controlplane.internal.ca.LocalCredentials;
import io.inboard.mesh.controlplane.internal.ca.StateFiles;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code inboardctl credential}: mints a local-mode credential for one service account from the
 * control plane's state directory (its key is made there if the control plane has not started
 * yet), and prints it or writes it to {@code --out} with mode 0600. No control plane needs to be
 * running: whoever can read the state directory can mint identities (see
 * {@link LocalCredentials} for the trust model).
 */
final class CredentialCommand {
  private CredentialCommand() {}

  static int run(Map<String, String> options, PrintStream out, PrintStream err) {
    for (String o : options.keySet()) {
      if (!Set.of("--state-dir", "--namespace", "-n", "--service-account", "--out")
          .contains(o)) {
        return InboardCtl.usage(err, "credential: unknown option " + o);
      }
    }
    String namespace = InboardCtl.option(options, "default", "-n", "--namespace");
    String serviceAccount = options.get("--service-account");
    if (serviceAccount == null || serviceAccount.isEmpty()) {
      return InboardCtl.usage(err, "credential: --service-account missing (expected: the"
          + " workload's service account, such as bookinfo-reviews)");
    }
    Path state = ControlPlaneCommand.stateDirectory(options);
    String credential;
    try {
      credential = LocalCredentials.inDirectory(state).issue(namespace, serviceAccount);
    } catch (IllegalArgumentException e) {
      return InboardCtl.usage(err, "credential: " + e.getMessage());
    } catch (UncheckedIOException e) {
      err.println("error: --state-dir: " + e.getMessage());
      return InboardCtl.UNAVAILABLE;
    }
    String file = options.get("--out");
    if (file == null) {
      out.println(credential);
      return InboardCtl.OK;
    }
    try {
      StateFiles.write(Path.of(file), credential + "\n", true);
    } catch (UncheckedIOException e) {
      err.println("error: --out: " + e.getMessage());
      return InboardCtl.UNAVAILABLE;
    }
    out.println("credential " + namespace + "/" + serviceAccount + " -> " + file);
    return InboardCtl.OK;
  }
}
