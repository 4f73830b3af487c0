package io.inboard.mesh.controlplane.cli;

import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import io.inboard.mesh.controlplane.internal.telemetry.MeshConfigFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code inboardctl analyze}: validates files with the control plane's own parser and
 * validators, so offline it reports exactly the errors and warnings {@code apply} would (as
 * {@code istioctl analyze --use-kube=false}). When the control plane at {@code --server}
 * answers, it analyzes there instead, which also checks the files against the running
 * configuration: references to subsets and hosts, and hosts another resource claims. The first
 * line says which of the two was done.
 */
final class Analyze {
  private Analyze() {}

  /**
   * @param meshConfig Istio's MeshConfig file whose tracing providers Telemetry resources may
   *     name, for the offline check, or {@code null}: then every named provider is warned about
   */
  static int run(AdminClient client, String file, String meshConfig, InputStream in,
      PrintStream out, PrintStream err) throws IOException, InterruptedException {
    List<TraceExporter> providers = List.of();
    if (meshConfig != null) {
      try {
        providers = MeshConfigFile.read(Path.of(meshConfig)).tracingProviders();
      } catch (IllegalArgumentException e) {
        err.println("error: --mesh-config: " + e.getMessage());
        return InboardCtl.INVALID;
      }
    }
    String yaml;
    try {
      yaml = YamlInput.read(file, in);
    } catch (NoSuchFileException e) {
      err.println("error: -f: " + e.getMessage() + " (expected: an existing file or directory)");
      return InboardCtl.UNREADABLE;
    } catch (IOException e) {
      err.println("error: -f: " + file + " cannot be read (" + e + ")");
      return InboardCtl.UNREADABLE;
    }
    try {
      new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml).forEach(doc -> { });
    } catch (YAMLException e) {
      err.println("error: -f: " + file + " is not valid YAML ("
          + e.getMessage().lines().findFirst().orElse("") + ")");
      return InboardCtl.UNREADABLE;
    }
    AdminClient.Reply reply;
    try {
      reply = client.post("/api/v1/analyze", yaml);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      out.println("Checked offline (no control plane at " + client.server() + "): fields and"
          + " values only, not references to other resources");
      return offline(yaml, providers, out, err);
    }
    out.println("Checked against the control plane at " + client.server());
    return Commands.print(client, "analyze", reply, out, err);
  }

  private static int offline(String yaml, List<TraceExporter> providers, PrintStream out,
      PrintStream err) {
    ResourceParser.Result result =
        new ResourceParser(ControlPlane.DEFAULT_NAMESPACE, ControlPlane.DEFAULT_CLUSTER_DOMAIN,
            ControlPlane.DEFAULT_ROOT_NAMESPACE, providers).parse("input", yaml);
    Diagnostics d = new Diagnostics(result.diagnostics());
    if (d.hasErrors()) {
      d.errors().forEach(e -> err.println("error: " + e));
      err.println("invalid");
      return InboardCtl.INVALID;
    }
    for (ParsedResource r : result.resources()) {
      out.println("valid " + r.id().kind() + " " + r.id().namespace() + "/" + r.id().name());
    }
    d.warnings().forEach(out::println);
    d.notServed().forEach(out::println);
    return InboardCtl.OK;
  }
}
