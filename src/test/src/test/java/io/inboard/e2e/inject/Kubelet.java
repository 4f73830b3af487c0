package io.inboard.e2e.inject;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a kubelet does with an admitted pod, for one container, on this machine: resolves the
 * env's {@code fieldRef}s (name, namespace, service account, pod IP), materializes the volumes
 * under a directory (the downward API labels file, the projected token, the root ConfigMap,
 * emptyDirs) and points env values under a mount path into it.
 */
final class Kubelet {
  private final Path root;
  private final String podName;
  private final String podIp;
  private final String token;
  private final String rootCertPem;

  Kubelet(Path root, String podName, String podIp, String token, String rootCertPem) {
    this.root = root;
    this.podName = podName;
    this.podIp = podIp;
    this.token = token;
    this.rootCertPem = rootCertPem;
  }

  /** The env of container {@code index} of {@code pod}, its volumes written under the root. */
  Map<String, String> run(JsonObject pod, String namespace, int index) throws IOException {
    JsonObject metadata = pod.getAsJsonObject("metadata");
    JsonObject spec = pod.getAsJsonObject("spec");
    JsonObject container = spec.getAsJsonArray("containers").get(index).getAsJsonObject();
    Map<String, String> mounts = new LinkedHashMap<>();
    for (JsonElement m : container.getAsJsonArray("volumeMounts")) {
      JsonObject mount = m.getAsJsonObject();
      Path dir = root.resolve(mount.get("mountPath").getAsString().substring(1));
      Files.createDirectories(dir);
      mounts.put(mount.get("mountPath").getAsString(), dir.toString());
      materialize(volume(spec, mount.get("name").getAsString()), dir, metadata);
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonElement e : container.getAsJsonArray("env")) {
      JsonObject var = e.getAsJsonObject();
      String value;
      if (var.has("valueFrom")) {
        String field = var.getAsJsonObject("valueFrom").getAsJsonObject("fieldRef")
            .get("fieldPath").getAsString();
        value = switch (field) {
          case "metadata.name" -> podName;
          case "metadata.namespace" -> namespace;
          case "spec.serviceAccountName" -> spec.get("serviceAccountName").getAsString();
          case "status.podIP" -> podIp;
          default -> throw new IllegalArgumentException("fieldPath: " + field);
        };
      } else {
        value = var.get("value").getAsString();
        for (Map.Entry<String, String> m : mounts.entrySet()) {
          if (value.startsWith(m.getKey() + "/")) {
            value = m.getValue() + value.substring(m.getKey().length());
          }
        }
      }
      env.put(var.get("name").getAsString(), value);
    }
    return env;
  }

  private static JsonObject volume(JsonObject spec, String name) {
    for (JsonElement v : spec.getAsJsonArray("volumes")) {
      if (v.getAsJsonObject().get("name").getAsString().equals(name)) {
        return v.getAsJsonObject();
      }
    }
    throw new IllegalArgumentException("volume: " + name + " (expected: in spec.volumes)");
  }

  private void materialize(JsonObject volume, Path dir, JsonObject metadata) throws IOException {
    if (volume.has("downwardAPI")) {
      for (JsonElement item : volume.getAsJsonObject("downwardAPI").getAsJsonArray("items")) {
        JsonObject i = item.getAsJsonObject();
        if (!i.getAsJsonObject("fieldRef").get("fieldPath").getAsString()
            .equals("metadata.labels")) {
          throw new IllegalArgumentException("downwardAPI item: " + i);
        }
        // the downward API's format: sorted, key="value" with Go's quoting
        StringBuilder labels = new StringBuilder();
        Map<String, String> sorted = new TreeMap<>();
        metadata.getAsJsonObject("labels").entrySet()
            .forEach(en -> sorted.put(en.getKey(), en.getValue().getAsString()));
        sorted.forEach((k, v) -> labels.append(k).append("=\"")
            .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        Files.writeString(dir.resolve(i.get("path").getAsString()), labels);
      }
    } else if (volume.has("projected")) {
      for (JsonElement source : volume.getAsJsonObject("projected").getAsJsonArray("sources")) {
        JsonObject t = source.getAsJsonObject().getAsJsonObject("serviceAccountToken");
        if (!t.get("audience").getAsString().equals("istio-ca")) {
          throw new IllegalArgumentException("audience: " + t.get("audience"));
        }
        Files.writeString(dir.resolve(t.get("path").getAsString()), token);
      }
    } else if (volume.has("configMap")) {
      if (!volume.getAsJsonObject("configMap").get("name").getAsString()
          .equals("istio-ca-root-cert")) {
        throw new IllegalArgumentException("configMap: " + volume);
      }
      Files.writeString(dir.resolve("root-cert.pem"), rootCertPem);
    } else if (!volume.has("emptyDir")) {
      throw new IllegalArgumentException("volume: " + volume + " (expected: one this kubelet"
          + " knows)");
    }
  }
}
