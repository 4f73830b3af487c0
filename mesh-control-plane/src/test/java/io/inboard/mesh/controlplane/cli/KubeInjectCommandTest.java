package io.inboard.mesh.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code inboardctl kube-inject}: the webhook's mutation applied to a manifest offline. The
 * bookinfo input is Istio's {@code samples/bookinfo/platform/kube/bookinfo.yaml} (Apache 2.0,
 * kept unchanged in {@code src/test/resources/inject/istio-bookinfo.yaml}).
 */
class KubeInjectCommandTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = InboardCtl.run(args, new ByteArrayInputStream(stdin.getBytes(
        StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  static Path resource(String name) {
    try {
      return Path.of(KubeInjectCommandTest.class.getResource("/inject/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> documents(String yaml) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object o : new Yaml().loadAll(yaml)) {
      if (o != null) {
        docs.add((Map<String, Object>) o);
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> at(Map<String, Object> m, String... path) {
    Map<String, Object> cur = m;
    for (String p : path) {
      cur = (Map<String, Object>) cur.get(p);
    }
    return cur;
  }

  @Test
  void istiosBookinfo_getsInjectedDeploymentsWithOneContainerEach_andTheRestUnchanged()
      throws IOException {
    Path input = resource("istio-bookinfo.yaml");
    Run r = run("", "kube-inject", "-f", input.toString());

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(Files.readString(resource("istio-bookinfo.injected.yaml")));
    List<Map<String, Object>> docs = documents(r.out());
    assertThat(docs).hasSize(14);
    for (Map<String, Object> d : docs) {
      if (d.get("kind").equals("Deployment")) {
        Map<String, Object> pod = at(d, "spec", "template");
        List<Map<String, Object>> containers = (List<Map<String, Object>>) (Object)
            at(pod, "spec").get("containers");
        assertThat(containers).hasSize(1);
        assertThat(containers.get(0).get("env").toString())
            .contains("INBOARD_CONTROL_PLANE", "INBOARD_WORKLOAD_NAME, value="
                + at(d, "metadata").get("name"));
        assertThat(at(pod, "metadata", "labels"))
            .containsEntry("security.istio.io/tlsMode", "istio");
      }
    }
    // every Service and ServiceAccount is copied byte for byte, comments included
    String original = Files.readString(input);
    for (String chunk : original.split("(?m)^---\n")) {
      if (chunk.contains("kind: Service\n") || chunk.contains("kind: ServiceAccount\n")) {
        assertThat(r.out()).contains(chunk);
      }
    }
  }

  @Test
  void everyWorkloadKind_isInjectedUnlessOptedOutOrHostNetwork() {
    Run r = run("", "kube-inject", "-f", resource("workloads.yaml").toString(),
        "--control-plane-address", "cp.mesh:15010", "--ca-address", "cp.mesh:15012");

    assertThat(r.code()).as(r.err()).isZero();
    List<Map<String, Object>> docs = documents(r.out());
    assertThat(env(at(docs.get(0), "spec"))).contains("INBOARD_WORKLOAD_NAME, value=sleep",
        "INBOARD_CONTROL_PLANE, value=cp.mesh:15010", "CA_ADDR, value=cp.mesh:15012");
    assertThat(env(at(docs.get(1), "spec", "template", "spec")))
        .contains("INBOARD_WORKLOAD_NAME, value=web");
    assertThat(at(docs.get(1), "spec", "template", "metadata", "labels"))
        .containsEntry("service.istio.io/canonical-revision", "2.1");
    assertThat(env(at(docs.get(2), "spec", "template", "spec"))).isEqualTo("null");
    assertThat(env(at(docs.get(3), "spec", "template", "spec"))).isEqualTo("null");
    assertThat(env(at(docs.get(4), "spec", "jobTemplate", "spec", "template", "spec")))
        .contains("INBOARD_WORKLOAD_NAME, value=report");
    assertThat(docs.get(5)).isEqualTo(Map.of("apiVersion", "v1", "kind", "ConfigMap",
        "metadata", Map.of("name", "settings"), "data", Map.of("key", "value")));
    // the opted-out Job and the host-network DaemonSet are left as written
    assertThat(r.out()).contains("""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: migrate
        spec:
          template:
            metadata:
              labels:
                sidecar.istio.io/inject: "false"
        """);
    assertThat(r.out()).contains("      hostNetwork: true\n      containers:\n");
  }

  @SuppressWarnings("unchecked")
  private static String env(Map<String, Object> podSpec) {
    List<Map<String, Object>> containers = (List<Map<String, Object>>) podSpec.get("containers");
    return String.valueOf(containers.get(0).get("env"));
  }

  @Test
  void stdinToOutputFile_writesTheInjectedManifest() throws IOException {
    Path out = dir.resolve("out.yaml");
    String pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        + "  - name: c\n    image: i\n";
    Run r = run(pod, "kube-inject", "-f", "-", "-o", out.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(out)).contains("INBOARD_WORKLOAD_NAME", "inboard.io/status");
  }

  @Test
  void badYaml_exits2NamingTheFileAndLine() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: Service\n"
        + "metadata:\n  name: ok\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n");
    Run r = run("", "kube-inject", "-f", bad.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(bad + ":10: not YAML");
  }

  @Test
  void aDeploymentWithoutTemplate_exits1NamingTheField() throws IOException {
    Path bad = Files.writeString(dir.resolve("d.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 1\n");
    Run r = run("", "kube-inject", "-f", bad.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Deployment 'd': spec.template: missing (expected: a pod"
        + " template)");
  }

  @Test
  void commandLineMistakes_exit2() {
    assertThat(run("", "kube-inject").err()).contains("kube-inject: expected -f FILE|-");
    assertThat(run("", "kube-inject", "-f", "x", "--bogus", "1").code()).isEqualTo(2);
    assertThat(run("", "kube-inject", "-f", "x", "--control-plane-address", "nope").err())
        .contains("'nope' (expected: host:port");
    Run missing = run("", "kube-inject", "-f", dir.resolve("absent.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("absent.yaml: cannot read");
  }
}
