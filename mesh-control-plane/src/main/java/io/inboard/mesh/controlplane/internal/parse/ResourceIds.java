package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads only the kind, namespace and name of each document, for delete: a resource is deleted
 * by naming it, so its spec need not be valid (or present).
 */
public final class ResourceIds {
  private ResourceIds() {}

  /** The ids {@code yaml} names, and an error for each document that names none. */
  public record Result(List<ResourceId> ids, List<Diagnostic> errors) {
    public Result {
      ids = List.copyOf(ids);
      errors = List.copyOf(errors);
    }
  }

  public static Result read(String source, String yaml, String defaultNamespace) {
    List<ResourceId> ids = new ArrayList<>();
    List<Diagnostic> errors = new ArrayList<>();
    List<Object> docs = new ArrayList<>();
    try {
      new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml).forEach(docs::add);
    } catch (YAMLException e) {
      errors.add(new Diagnostic(Diagnostic.Severity.ERROR, new ResourceId("YAML", "", source), "",
          "not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")"));
      return new Result(ids, errors);
    }
    for (int i = 0; i < docs.size(); i++) {
      if (docs.get(i) == null) {
        continue;
      }
      Node doc = new Node(docs.get(i), "");
      try {
        if (!(doc.value() instanceof Map)) {
          throw doc.fail("a Kubernetes resource mapping");
        }
        Node meta = doc.get("metadata");
        ids.add(new ResourceId(doc.get("kind").string(),
            meta.get("namespace").optString().orElse(defaultNamespace), meta.get("name").string()));
      } catch (FieldException e) {
        errors.add(new Diagnostic(Diagnostic.Severity.ERROR,
            new ResourceId("document", source, "#" + i), e.field(), e.detail()));
      }
    }
    return new Result(ids, errors);
  }
}
