package io.inboard.mesh.controlplane.internal.inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * {@code kube-inject}: the webhook's injection ({@link PodInjector}) applied to the pod templates
 * of a multi-document manifest. Pods (workload name: as the webhook computes it), Deployments,
 * StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and Jobs ({@code
 * spec.template}) and CronJobs ({@code spec.jobTemplate.spec.template}), whose name is the
 * workload name. An injected document is written back as YAML (its comments are lost, as with
 * istioctl); every other document (other kinds, opted-out or host-network templates, empty
 * documents) is copied byte for byte, separators and comments included.
 */
public final class ManifestInjection {
  private static final Set<String> TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet",
      "DaemonSet", "ReplicaSet", "ReplicationController", "Job");

  /** A manifest that cannot be injected: not YAML, or a workload without a pod template. */
  public static final class ManifestException extends Exception {
    private final boolean unreadable;

    ManifestException(String message, boolean unreadable) {
      super(message);
      this.unreadable = unreadable;
    }

    /** True when the input is not YAML; false when it is YAML but not a valid workload. */
    public boolean unreadable() {
      return unreadable;
    }
  }

  private final PodInjector injector;

  /** Injects {@code template}. */
  public ManifestInjection(InjectionTemplate template) {
    this.injector = new PodInjector(template);
  }

  /**
   * The injected manifest.
   *
   * @param source names the input in errors (a file name, or {@code -})
   * @throws ManifestException naming {@code source}, the line, and what was expected
   */
  public String inject(String yaml, String source) throws ManifestException {
    StringBuilder out = new StringBuilder();
    for (Chunk chunk : split(yaml)) {
      out.append(chunk.separator());
      out.append(injectDocument(chunk, source));
    }
    return out.toString();
  }

  private String injectDocument(Chunk chunk, String source) throws ManifestException {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(chunk.body());
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = chunk.firstLine() + (mark == null ? 0 : mark.getLine());
      throw new ManifestException(source + ":" + line + ": not YAML: " + e.getProblem()
          + " (expected: Kubernetes manifests, documents separated by ---)", true);
    } catch (YAMLException e) {
      throw new ManifestException(source + ":" + chunk.firstLine() + ": not YAML: "
          + e.getMessage() + " (expected: Kubernetes manifests, documents separated by ---)",
          true);
    }
    if (!(doc instanceof Map<?, ?> raw)) {
      return chunk.body();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> resource = (Map<String, Object>) raw;
    String kind = Trees.string(resource, "kind");
    Map<String, Object> metadata = Trees.map(resource, "metadata");
    String name = Trees.string(metadata, "name");
    String namespace = Trees.string(metadata, "namespace");
    Map<String, Object> pod;
    String workloadName;
    if (kind.equals("Pod")) {
      pod = resource;
      workloadName = WorkloadNames.forPod(metadata);
    } else if (TEMPLATE_KINDS.contains(kind) || kind.equals("CronJob")) {
      Map<String, Object> spec = Trees.map(resource, "spec");
      String path = kind.equals("CronJob") ? "spec.jobTemplate.spec.template" : "spec.template";
      pod = kind.equals("CronJob")
          ? Trees.map(Trees.map(Trees.map(spec, "jobTemplate"), "spec"), "template")
          : Trees.map(spec, "template");
      if (pod == null) {
        throw new ManifestException(source + ":" + chunk.firstLine() + ": " + kind + " '" + name
            + "': " + path + ": missing (expected: a pod template)", false);
      }
      workloadName = name;
    } else {
      return chunk.body();
    }
    if (!injector.inject(pod, namespace, workloadName).inject()) {
      return chunk.body();
    }
    return dumper().dump(resource);
  }

  private static Yaml dumper() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    return new Yaml(new Representer(options), options);
  }

  /** One document: the separator line before it ("" for the first) and its text. */
  private record Chunk(String separator, String body, int firstLine) {}

  /** The documents of {@code yaml}, split at lines starting with {@code ---}. */
  private static List<Chunk> split(String yaml) {
    List<Chunk> chunks = new ArrayList<>();
    String separator = "";
    StringBuilder body = new StringBuilder();
    int line = 1;
    int first = 1;
    int start = 0;
    while (start < yaml.length()) {
      int end = yaml.indexOf('\n', start);
      String text = end < 0 ? yaml.substring(start) : yaml.substring(start, end + 1);
      if (text.startsWith("---") && (text.length() == 3 || " \t\r\n#".indexOf(text.charAt(3)) >= 0)
          && text.substring(3).strip().replaceFirst("^#.*", "").isEmpty()) {
        chunks.add(new Chunk(separator, body.toString(), first));
        separator = text;
        body.setLength(0);
        first = line + 1;
      } else {
        body.append(text);
      }
      line++;
      start = end < 0 ? yaml.length() : end + 1;
    }
    chunks.add(new Chunk(separator, body.toString(), first));
    return chunks;
  }
}
