package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link ManifestRenderer} made of one set of values: the parts in apply order, each the
 * text of one template and its objects.
 */
public record RenderedManifest(InstallValues values, List<Part> parts) {

  /** One rendered template: its component, file name, YAML text and the objects it holds. */
  public record Part(Component component, String template, String yaml,
      List<HasMetadata> objects) {}

  /** Every document, as {@code manifest generate} prints it. */
  public String yaml() {
    return parts.stream().map(Part::yaml).collect(Collectors.joining("---\n"));
  }

  /** The objects of every part, in apply order. */
  public List<HasMetadata> objects() {
    return parts.stream().flatMap(p -> p.objects().stream()).toList();
  }

  /** The parts of {@code component}. */
  public List<Part> parts(Component component) {
    return parts.stream().filter(p -> p.component() == component).toList();
  }

  /** The part rendered from {@code template}, such as {@code crds.yaml}. */
  public Part part(String template) {
    return parts.stream().filter(p -> p.template().equals(template)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("template: '" + template
            + "' (expected: one of " + parts.stream().map(Part::template).toList() + ")"));
  }

  /** The components rendered, in apply order. */
  public List<Component> components() {
    return parts.stream().map(Part::component).distinct().toList();
  }
}
