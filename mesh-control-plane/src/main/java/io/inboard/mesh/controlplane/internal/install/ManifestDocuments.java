package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Multi-document YAML as fabric8 objects: typed for the kinds fabric8 knows, else generic. */
public final class ManifestDocuments {
  /** One serializer for rendering, comparing and parsing: it holds fabric8's kind registry. */
  public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");

  private ManifestDocuments() {}

  /** The documents of {@code yaml} that hold more than comments, as text. */
  public static List<String> split(String yaml) {
    return Stream.of(SEPARATOR.split(yaml)).filter(ManifestDocuments::hasContent).toList();
  }

  /** Each document of {@code yaml} as an object; {@code where} names the text in errors. */
  public static List<HasMetadata> parse(String where, String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    int index = 0;
    for (String doc : split(yaml)) {
      index++;
      Object o = SERIALIZATION.unmarshal(doc);
      if (!(o instanceof HasMetadata resource)) {
        throw new IllegalStateException(where + "#" + index + ": not a Kubernetes resource");
      }
      out.add(resource);
    }
    return out;
  }

  private static boolean hasContent(String yaml) {
    return yaml.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
  }
}
