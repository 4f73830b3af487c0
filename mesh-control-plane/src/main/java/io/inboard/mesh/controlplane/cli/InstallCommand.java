package io.inboard.mesh.controlplane.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.inboard.mesh.controlplane.internal.install.Component;
import io.inboard.mesh.controlplane.internal.install.InstallException;
import io.inboard.mesh.controlplane.internal.install.Installer;
import io.inboard.mesh.controlplane.internal.install.InvalidInstallValueException;
import io.inboard.mesh.controlplane.internal.install.ManifestRenderer;
import io.inboard.mesh.controlplane.internal.install.Precheck;
import io.inboard.mesh.controlplane.internal.install.RenderedManifest;
import io.inboard.mesh.controlplane.internal.install.SetOverrides;
import io.inboard.mesh.controlplane.internal.install.Uninstaller;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code inboardctl install}, {@code manifest generate}, {@code precheck} and
 * {@code uninstall}, as istioctl's. The cluster is the one fabric8's default client
 * configuration names (in-cluster service account, {@code ~/.kube/config}, or
 * {@code -Dkubernetes.master=URL}). Input is checked before any cluster is contacted: a bad
 * {@code --set} exits 1 and changes nothing.
 */
final class InstallCommand {
  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)?");

  private InstallCommand() {}

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return run(args, in, out, err, InstallCommand::defaultClient);
  }

  /**
   * fabric8's default configuration, with fewer retries: by default an unreachable API server
   * is retried ten times with exponential backoff (about 100 s) before a command could say so.
   */
  private static KubernetesClient defaultClient() {
    Config config = new ConfigBuilder(Config.autoConfigure(null))
        .withRequestRetryBackoffLimit(3).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** {@link #run(String[], InputStream, PrintStream, PrintStream)} on the cluster given. */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err,
      Supplier<KubernetesClient> cluster) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      return InboardCtl.usage(err, e.getMessage());
    }
    if (o.help) {
      out.print(InboardCtl.HELP);
      return InboardCtl.OK;
    }
    RenderedManifest manifest;
    Duration timeout;
    try {
      manifest = ManifestRenderer.render(SetOverrides.apply(o.profile, o.sets));
      timeout = duration(o.readinessTimeout);
    } catch (InvalidInstallValueException e) {
      err.println("error: " + e.getMessage());
      err.println("nothing changed");
      return InboardCtl.INVALID;
    }
    if (o.command.equals("manifest")) {
      out.print(manifest.yaml());
      return InboardCtl.OK;
    }
    KubernetesClient client;
    try {
      client = cluster.get();
    } catch (KubernetesClientException e) {
      err.println("error: Kubernetes client: " + e.getMessage()
          + " (expected: a kubeconfig, an in-cluster service account, or -Dkubernetes.master)");
      return InboardCtl.UNAVAILABLE;
    }
    try (client) {
      return switch (o.command) {
        case "precheck" -> precheck(client, manifest, out);
        case "uninstall" -> uninstall(client, o, in, out, err);
        default -> install(client, manifest, timeout, o, in, out, err);
      };
    } catch (KubernetesClientException e) {
      err.println("error: Kubernetes API at " + client.getMasterUrl() + ": "
          + reason(e) + " (expected: a reachable API server)");
      return InboardCtl.UNAVAILABLE;
    }
  }

  private static int install(KubernetesClient client, RenderedManifest manifest,
      Duration timeout, Options o, InputStream in, PrintStream out, PrintStream err) {
    List<String> titles = manifest.components().stream().map(Component::title).toList();
    if (!o.yes && !confirm("This will install the Inboard " + manifest.values().tag() + " \""
        + manifest.values().profile().id() + "\" profile (with components: "
        + String.join(", ", titles) + ") into the cluster at " + client.getMasterUrl() + ".",
        in, out)) {
      err.println("install aborted");
      return InboardCtl.INVALID;
    }
    try {
      new Installer(client, out, timeout).install(manifest);
      return InboardCtl.OK;
    } catch (InstallException e) {
      out.println("✘ " + e.component().title() + " encountered an error: " + e.getMessage());
      return InboardCtl.UNAVAILABLE;
    }
  }

  private static int uninstall(KubernetesClient client, Options o, InputStream in,
      PrintStream out, PrintStream err) {
    Uninstaller u = new Uninstaller(client, out);
    List<HasMetadata> planned = u.planned(o.purge);
    if (planned.isEmpty()) {
      out.println("✔ Nothing to remove: no object in the cluster carries app.kubernetes.io/"
          + "managed-by=inboardctl");
      return InboardCtl.OK;
    }
    if (!o.yes && !confirm("All Inboard resources (" + planned.size() + " objects"
        + (o.purge ? ", CRDs included" : ", CRDs kept") + ") will be removed from the cluster"
        + " at " + client.getMasterUrl() + ".", in, out)) {
      err.println("uninstall aborted");
      return InboardCtl.INVALID;
    }
    u.uninstall(o.purge);
    return InboardCtl.OK;
  }

  private static int precheck(KubernetesClient client, RenderedManifest manifest,
      PrintStream out) {
    Precheck.Result r = new Precheck(client, out).run(manifest);
    return r.errors().isEmpty() ? InboardCtl.OK : InboardCtl.INVALID;
  }

  private static boolean confirm(String what, InputStream in, PrintStream out) {
    out.print(what + " Proceed? (y/N) ");
    out.flush();
    String answer;
    try {
      answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      answer = null;
    }
    out.println();
    String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }

  private static Duration duration(String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new InvalidInstallValueException("--readiness-timeout: '" + value
          + "' (expected: a duration such as 300s, 5m or 300)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static String reason(KubernetesClientException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return e.getMessage() + (root == e ? "" : " (" + root + ")");
  }

  /** The command line of one of the four commands. */
  private static final class Options {
    String command;
    String profile;
    final List<String> sets = new ArrayList<>();
    String readinessTimeout = "300s";
    boolean yes;
    boolean purge;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      o.command = args[0];
      int i = 1;
      if (o.command.equals("manifest")) {
        if (args.length < 2 || !args[1].equals("generate")) {
          throw new IllegalArgumentException("manifest: expected 'manifest generate'");
        }
        i = 2;
      }
      for (; i < args.length; i++) {
        String a = args[i];
        String name = a.startsWith("--") && a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        boolean inline = !name.equals(a);
        switch (name) {
          case "-h", "--help" -> o.help = true;
          case "-y", "--skip-confirmation" -> o.yes = allowed(o, a, "install", "uninstall");
          case "--purge" -> o.purge = allowed(o, a, "uninstall");
          case "--profile", "--set", "-s", "--readiness-timeout" -> {
            String value;
            if (inline) {
              value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
              value = args[++i];
            } else {
              throw new IllegalArgumentException(a + ": missing value");
            }
            if (name.equals("--readiness-timeout")) {
              allowed(o, a, "install");
              o.readinessTimeout = value;
            } else {
              allowed(o, a, "install", "manifest", "precheck");
              if (name.equals("--profile")) {
                o.profile = value;
              } else {
                o.sets.add(value);
              }
            }
          }
          default -> throw new IllegalArgumentException(o.command + ": unexpected '" + a
              + "' (expected: " + expected(o.command) + ")");
        }
      }
      return o;
    }

    private static boolean allowed(Options o, String option, String... commands) {
      if (!List.of(commands).contains(o.command)) {
        throw new IllegalArgumentException(o.command + ": unexpected '" + option
            + "' (expected: " + expected(o.command) + ")");
      }
      return true;
    }

    private static String expected(String command) {
      return switch (command) {
        case "install" -> "[--profile minimal|default|demo] [-y] [--set key=value]..."
            + " [--readiness-timeout DURATION]";
        case "manifest" -> "manifest generate [--profile P] [--set key=value]...";
        case "precheck" -> "precheck [--profile P] [--set key=value]...";
        default -> "uninstall [--purge] [-y]";
      };
    }
  }
}
