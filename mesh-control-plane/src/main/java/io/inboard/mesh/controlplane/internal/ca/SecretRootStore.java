package io.inboard.mesh.controlplane.internal.ca;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.inboard.mesh.security.internal.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes mode's root store, as istiod's: the Secret {@code istio-ca-secret} (type
 * {@code istio.io/ca-root}, keys {@code ca-cert.pem} and {@code ca-key.pem}) in the control
 * plane's namespace. Also reads the user's plugged-in Secret {@code cacerts}.
 */
public final class SecretRootStore implements RootStore {
  /** Istio's name for the generated root's Secret. */
  public static final String SELF_SIGNED_SECRET = "istio-ca-secret";
  /** Istio's name for a plugged-in CA's Secret. */
  public static final String PLUGGED_SECRET = "cacerts";

  private final KubernetesClient client;
  private final String namespace;

  public SecretRootStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public Optional<SigningAuthority> load() {
    Map<String, String> data = read(SELF_SIGNED_SECRET);
    if (data == null) {
      return Optional.empty();
    }
    String where = "Secret " + namespace + "/" + SELF_SIGNED_SECRET;
    String cert = data.get(PluggedCa.CA_CERT);
    String key = data.get(PluggedCa.CA_KEY);
    if (cert == null || key == null) {
      throw new IllegalArgumentException(where + ": keys " + data.keySet() + " (expected: "
          + PluggedCa.CA_CERT + " and " + PluggedCa.CA_KEY + ")");
    }
    return Optional.of(PluggedCa.validate(where, cert, key, cert, cert));
  }

  /** The plugged-in CA of Secret {@code cacerts}, when there is one. */
  public Optional<SigningAuthority> loadPlugged() {
    Map<String, String> data = read(PLUGGED_SECRET);
    return data == null ? Optional.empty() : Optional.of(PluggedCa.fromEntries(
        "Secret " + namespace + "/" + PLUGGED_SECRET, data));
  }

  @Override
  public void save(SigningAuthority root) {
    Base64.Encoder b64 = Base64.getEncoder();
    Secret secret = new SecretBuilder().withNewMetadata().withName(SELF_SIGNED_SECRET)
        .withNamespace(namespace).endMetadata().withType("istio.io/ca-root")
        .addToData(PluggedCa.CA_CERT, b64.encodeToString(Pem.encode(List.of(root.root()))
            .getBytes(StandardCharsets.US_ASCII)))
        .addToData(PluggedCa.CA_KEY, b64.encodeToString(Pem.encode(root.key())
            .getBytes(StandardCharsets.US_ASCII)))
        .build();
    client.secrets().inNamespace(namespace).resource(secret)
        .createOr(NonDeletingOperation::update);
  }

  private Map<String, String> read(String name) {
    Secret s = client.secrets().inNamespace(namespace).withName(name).get();
    if (s == null) {
      return null;
    }
    Map<String, String> out = new HashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k,
          new String(Base64.getMimeDecoder().decode(v), StandardCharsets.US_ASCII)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }
}
