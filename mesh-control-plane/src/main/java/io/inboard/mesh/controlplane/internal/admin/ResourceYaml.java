package io.inboard.mesh.controlplane.internal.admin;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.StoredResource;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Stored resources as multi-document YAML, each preceded by its findings as comments. */
public final class ResourceYaml {
  private ResourceYaml() {}

  static String of(List<StoredResource> resources) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    Yaml yaml = new Yaml(options);
    StringBuilder out = new StringBuilder();
    for (StoredResource r : resources) {
      out.append("---\n");
      for (Diagnostic d : r.diagnostics()) {
        out.append("# ").append(d).append('\n');
      }
      out.append(yaml.dump(r.document()));
    }
    return out.toString();
  }
}
