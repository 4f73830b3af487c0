package io.inboard.e2e.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Kubernetes manifests of bookinfo ({@code examples/bookinfo/k8s/}) and the Istio samples
 * copied as test data, read with fabric8's own deserializer, so that a document reads as
 * {@code kubectl} would send it. Paths are relative to this module's directory, which Maven runs
 * tests in.
 */
final class Manifests {
  static final Path K8S_DIR = Path.of("../../examples/bookinfo/k8s");
  static final Path BOOKINFO = K8S_DIR.resolve("bookinfo.yaml");
  static final Path CONTROL_PLANE = K8S_DIR.resolve("control-plane.yaml");
  static final Path ISTIO_CRDS = K8S_DIR.resolve("istio-crds.yaml");
  static final Path ISTIO_SAMPLES = Path.of("../../examples/bookinfo/networking");

  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");

  private Manifests() {}

  /** Every manifest this module checks, in the order they are applied. */
  static List<Path> all() {
    return List.of(ISTIO_CRDS, CONTROL_PLANE, BOOKINFO);
  }

  /**
   * The documents of {@code file} as typed resources. Fails, naming the file and document, on a
   * document that does not parse or whose kind fabric8 does not know (it would otherwise read as
   * a {@link GenericKubernetesResource} and escape every typed check).
   */
  static List<ManifestDocument> read(Path file) {
    List<ManifestDocument> out = new ArrayList<>();
    int index = 0;
    for (String yaml : documents(file)) {
      index++;
      String where = file.getFileName() + "#" + index;
      Object parsed;
      try {
        parsed = Serialization.unmarshal(yaml);
      } catch (RuntimeException e) {
        throw new AssertionError(where + ": does not parse as a Kubernetes resource: "
            + e.getMessage(), e);
      }
      if (!(parsed instanceof HasMetadata resource) || parsed instanceof GenericKubernetesResource) {
        throw new AssertionError(where + ": " + describe(parsed) + " (expected: a kind of"
            + " fabric8's typed model, such as v1 Service or apps/v1 Deployment)");
      }
      out.add(new ManifestDocument(file.getFileName().toString(), index, resource));
    }
    return out;
  }

  /** The resources of {@code type} in {@code file}. */
  static <T extends HasMetadata> List<T> read(Path file, Class<T> type) {
    return read(file).stream().map(ManifestDocument::resource).filter(type::isInstance)
        .map(type::cast).toList();
  }

  /** The YAML documents of {@code file}, without those holding only comments. */
  static List<String> documents(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath()
          + " (expected: tests run from the src/test module directory)", e);
    }
    return Stream.of(SEPARATOR.split(text)).filter(Manifests::hasContent).toList();
  }

  private static boolean hasContent(String yaml) {
    return yaml.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
  }

  private static String describe(Object parsed) {
    if (parsed instanceof GenericKubernetesResource g) {
      return "unknown kind " + g.getApiVersion() + " " + g.getKind();
    }
    return "not a single resource: " + (parsed == null ? "null"
        : Objects.toString(parsed.getClass().getName()));
  }
}
