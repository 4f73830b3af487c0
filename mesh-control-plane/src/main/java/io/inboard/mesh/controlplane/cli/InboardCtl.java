package io.inboard.mesh.controlplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code inboardctl}: starts a control plane, and applies, deletes, reads and analyzes Istio
 * resources through a control plane's admin API. Run {@code inboardctl --help} for usage and
 * exit codes; {@link #run} is the same without {@code System.exit}, for embedding and tests.
 */
public final class InboardCtl {
  /** The command succeeded. */
  public static final int OK = 0;
  /** The input was invalid and rejected; nothing changed. */
  public static final int INVALID = 1;
  /** The command line was wrong. */
  public static final int USAGE = 2;
  /**
   * {@code analyze}: the input could not be read (a missing or unreadable file, or not YAML);
   * the same code as {@link #USAGE}, distinct from valid and invalid.
   */
  public static final int UNREADABLE = 2;
  /** What the command names does not exist (delete, get with a name, config-dump). */
  public static final int NOT_FOUND = 3;
  /** The control plane could not be reached, or failed. */
  public static final int UNAVAILABLE = 4;

  static final String DEFAULT_SERVER = "http://127.0.0.1:15014";
  private static final Set<String> VALUED = Set.of("--server", "-f", "--filename", "-n",
      "--namespace", "-o", "--output", "--config-dir", "--xds-port", "--admin-port", "--host",
      "--grace-period", "--secure-port", "--state-dir", "--cacerts", "--trust-domain",
      "--ca-key-type", "--service-account", "--out", "--overlap", "--ca-host-names",
      "--root-namespace", "--jwks-refresh-interval", "--prometheus-url", "--mesh-config",
      "--injection-port");

  static final String HELP = """
      Usage: inboardctl COMMAND [OPTIONS]

      Commands:
        control-plane [--config-dir DIR | --kubernetes] [--xds-port N] [--admin-port N]
                      [--secure-port N] [--host ADDR] [--grace-period SECONDS]
                      [--state-dir DIR] [--cacerts DIR] [--trust-domain TD]
                      [--ca-key-type EC_P256|RSA_2048] [--ca-host-names N1,N2]
                      [--root-namespace NS] [--jwks-refresh-interval SECONDS]
                      [--prometheus-url URL] [--mesh-config FILE]
                      [--injection-port N]
                                   start a control plane in the foreground (xDS 15010,
                                   CA over TLS 15012, admin 15014, injection webhook
                                   15017 (-1: none), 127.0.0.1; 0 picks a
                                   free port); config from a YAML directory, or from the
                                   Kubernetes API that the default client configuration
                                   names (in-cluster, ~/.kube/config,
                                   -Dkubernetes.master=URL); workloads that announce a
                                   service are registered as its endpoints in local mode
                                   only (in Kubernetes, EndpointSlices say). The CA's root
                                   and credential key live in --state-dir (default
                                   ~/.inboard/control-plane; in Kubernetes mode the Secret
                                   istio-ca-secret), the trust bundle in
                                   <state-dir>/root-cert.pem; --cacerts plugs in Istio's
                                   cacerts files (ca-cert, ca-key, root-cert, cert-chain);
                                   mesh-wide policy lives in --root-namespace
                                   (default istio-system); RequestAuthentication
                                   jwksUris are fetched by the control plane and
                                   sent inline, again every --jwks-refresh-interval
                                   (default 1200, as istiod); the service graph
                                   is at http://ADMIN/ui, fed by scraping each
                                   workload's /stats/prometheus, or by Kiali's
                                   queries to --prometheus-url; --mesh-config reads
                                   Istio's MeshConfig YAML: extensionProviders
                                   (zipkin: service, port, path; opentelemetry:
                                   service, port, http.path for OTLP/HTTP, else
                                   OTLP/gRPC) that Telemetry tracing.providers name,
                                   defaultProviders.tracing and .accessLogging (envoy:
                                   text log, envoy-json: JSON), enableTracing; a bad
                                   file exits 1
        credential --service-account SA [-n NS] [--state-dir DIR] [--out FILE]
                                   mint a local-mode CA credential for NS/SA (default
                                   namespace default) from the state directory; prints
                                   it, or writes FILE with mode 0600
        rotate-root [--overlap SECONDS]
                                   rotate the CA's generated root (default overlap 3600):
                                   both roots trusted at once, the new one signs after half
                                   the overlap, the old one is dropped after all of it
        apply -f FILE|DIR|-        apply the resources (a directory: every *.yaml, *.yml)
        delete -f FILE|DIR|-       delete the resources the documents name (kind, namespace, name)
        get KIND [NAME] [-n NS] [-o yaml|json]
                                   show stored resources and their warnings
        analyze -f FILE|DIR|- [--mesh-config FILE]
                                   validate and show warnings; changes nothing. Offline (no
                                   control plane at --server) the files are checked with the
                                   control plane's parser alone (Telemetry tracing providers
                                   against --mesh-config, if given); with one, also against
                                   its resources (subsets, hosts); the first line says which
        kube-inject -f FILE|- [-o FILE] [--control-plane-address HOST:PORT]
                    [--ca-address HOST:PORT] [--cluster-id ID]
                                   add what the injection webhook adds (env, volumes, mounts,
                                   labels; no container) to each pod template of FILE's
                                   Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets,
                                   Jobs and CronJobs that is not opted out; prints the
                                   manifest, other documents unchanged, or writes -o FILE
        config-dump WORKLOAD       what a workload (node id, name or ns/name) was sent, ACKed
                                   and NACKed
        install [--profile minimal|default|demo] [-y] [--set KEY=VALUE]...
                [--readiness-timeout DURATION]
                                   install Inboard into the cluster fabric8's default client
                                   configuration names (as the control-plane command):
                                   namespace inboard-system, Istio's CRDs (each skipped when
                                   it exists), the control plane, the injection webhook
                                   (last); default adds the ingress gateway, demo adds
                                   tracing at 100 %%, access logs and small requests. Server-
                                   side apply (field manager inboardctl), waits for rollouts
                                   (default 300s), prunes what the profile dropped; asks
                                   unless -y. A second run changes nothing. --set keys:
                                   profile, hub, tag, components.ingressGateways.enabled,
                                   values.pilot.traceSampling, meshConfig.accessLogFile,
                                   values.pilot.resources.{requests.cpu,requests.memory,
                                   limits.memory}, values.gateways.istio-ingressgateway.
                                   resources.{requests.cpu,requests.memory,limits.memory}
        manifest generate [--profile P] [--set KEY=VALUE]...
                                   print what install applies, as YAML; needs no cluster
        precheck                   check the cluster: API reachable, Kubernetes 1.26+, CRDs
                                   absent or Istio's, no istiod beside, permissions
        uninstall [--purge] [-y]   remove everything install made (labelled
                                   app.kubernetes.io/managed-by=inboardctl), webhook first;
                                   CRDs only with --purge; asks unless -y

      Options:
        --server URL               the control plane's admin API (default %s)
        -h, --help                 this text

      Exit codes:
        0  success
        1  invalid input, rejected: each error names resource, field, value and expectation;
           nothing changed
        2  wrong command line, or input that cannot be read (missing, unreadable, not YAML)
        3  not found (delete of an unknown resource, get NAME, config-dump of an unknown workload)
        4  the control plane is unreachable or failed
      """.formatted(DEFAULT_SERVER);

  private static final String CACHE_LOG_LEVEL =
      "org.slf4j.simpleLogger.log.io.envoyproxy.controlplane.cache";

  private InboardCtl() {}

  public static void main(String[] args) {
    // java-control-plane logs at INFO each request it holds until a snapshot has every resource
    // named (normal while workloads register); keep its warnings only, unless asked otherwise
    if (System.getProperty(CACHE_LOG_LEVEL) == null) {
      System.setProperty(CACHE_LOG_LEVEL, "warn");
    }
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs one command; returns its exit code. {@code control-plane} returns when interrupted. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    // the install family and kube-inject take repeated options (--set) and parse their own
    if (args.length > 0) {
      switch (args[0]) {
        case "install", "manifest", "precheck", "uninstall" -> {
          return InstallCommand.run(args, in, out, err);
        }
        case "kube-inject" -> {
          return KubeInjectCommand.run(args, in, out, err);
        }
        default -> { }
      }
    }
    List<String> positional = new ArrayList<>();
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        out.print(HELP);
        return OK;
      }
      if (a.startsWith("--") && a.contains("=")) {
        options.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else if (VALUED.contains(a)) {
        if (i + 1 == args.length) {
          return usage(err, a + ": missing value");
        }
        options.put(a, args[++i]);
      } else if (a.startsWith("-") && !a.equals("-")) {
        options.put(a, "");
      } else {
        positional.add(a);
      }
    }
    if (positional.isEmpty()) {
      return usage(err, "command: missing (expected: one of control-plane, credential,"
          + " rotate-root, apply, delete, get, analyze, config-dump)");
    }
    String command = positional.get(0);
    List<String> rest = positional.subList(1, positional.size());
    if (command.equals("control-plane")) {
      return ControlPlaneCommand.run(options, out, err);
    }
    if (command.equals("credential")) {
      return rest.isEmpty() ? CredentialCommand.run(options, out, err)
          : usage(err, "credential: unexpected " + rest + " (expected: options only)");
    }
    String server = option(options, DEFAULT_SERVER, "--server");
    try (AdminClient client = new AdminClient(server)) {
      return switch (command) {
        case "apply", "delete", "analyze" -> {
          String file = option(options, null, "-f", "--filename");
          if (file == null || !rest.isEmpty()) {
            yield usage(err, command + ": expected -f FILE|DIR|- and nothing else");
          }
          yield command.equals("analyze")
              ? Analyze.run(client, file, options.get("--mesh-config"), in, out, err)
              : Commands.post(client, command, YamlInput.read(file, in), out, err);
        }
        case "get" -> rest.isEmpty() || rest.size() > 2
            ? usage(err, "get: expected KIND [NAME]")
            : Commands.get(client, rest.get(0), rest.size() == 2 ? rest.get(1) : "",
                option(options, "", "-n", "--namespace"),
                option(options, "yaml", "-o", "--output"), out, err);
        case "rotate-root" -> rest.isEmpty()
            ? rotateRoot(client, option(options, "3600", "--overlap"), out, err)
            : usage(err, "rotate-root: unexpected " + rest + " (expected: [--overlap SECONDS])");
        case "config-dump" -> rest.size() != 1
            ? usage(err, "config-dump: expected WORKLOAD")
            : Commands.configDump(client, rest.get(0), out, err);
        default -> usage(err, "command: '" + command + "' (expected: one of control-plane,"
            + " credential, rotate-root, apply, delete, get, analyze, config-dump)");
      };
    } catch (NoSuchFileException e) {
      err.println("error: -f: " + e.getMessage() + " (expected: an existing file or directory)");
      return USAGE;
    } catch (ConnectException e) {
      err.println("error: --server: " + server + " is not reachable (expected: a running"
          + " control plane's admin API, see inboardctl control-plane)");
      return UNAVAILABLE;
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: " + server + ": " + e);
      return UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNAVAILABLE;
    }
  }

  private static int rotateRoot(AdminClient client, String overlap, PrintStream out,
      PrintStream err) throws IOException, InterruptedException {
    if (!overlap.matches("[0-9]+")) {
      return usage(err, "--overlap: '" + overlap + "' (expected: seconds, an integer >= 0)");
    }
    AdminClient.Reply r = client.post("/api/v1/ca/rotate-root?overlapSeconds=" + overlap, "");
    if (r.status() == 200) {
      out.println("root rotation started: overlap " + overlap + " s (new root signs after "
          + Long.parseLong(overlap) / 2 + " s, old root dropped after " + overlap + " s)");
      return OK;
    }
    err.println("error: " + client.server() + " answered " + r.status() + ": " + r.body().strip());
    return r.status() == 409 ? INVALID : UNAVAILABLE;
  }

  static String option(Map<String, String> options, String defaultValue, String... names) {
    for (String n : names) {
      if (options.containsKey(n)) {
        return options.get(n);
      }
    }
    return defaultValue;
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static int usage(PrintStream err, String problem) {
    err.println("error: " + problem);
    err.println("Run 'inboardctl --help' for usage.");
    return USAGE;
  }
}
