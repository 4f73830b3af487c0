package io.inboard.mesh.testing.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/** Reads custom resources from YAML and finds the versions their CRD serves. */
public final class CustomResources {

  private CustomResources() {}

  /** One resource from YAML; it must have apiVersion, kind and metadata.name. */
  public static GenericKubernetesResource parse(String yaml) {
    GenericKubernetesResource resource;
    try {
      resource = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "yaml: " + e.getMessage() + " (expected: one Kubernetes resource)", e);
    }
    if (resource == null || resource.getApiVersion() == null || resource.getKind() == null
        || resource.getMetadata() == null || resource.getMetadata().getName() == null) {
      throw new IllegalArgumentException(
          "yaml: " + yaml + " (expected: a resource with apiVersion, kind and metadata.name)");
    }
    return resource;
  }

  /** The group of {@code group/version}; {@code ""} for the core group's {@code v1}. */
  public static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /**
   * Every version of {@code group}/{@code kind} that its installed CRD serves.
   *
   * @throws IllegalArgumentException if no installed CRD defines the kind
   */
  public static List<ResourceDefinitionContext> servedVersions(
      KubernetesClient client, String group, String kind) {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .list().getItems().stream()
        .filter(c -> c.getSpec().getGroup().equals(group)
            && c.getSpec().getNames().getKind().equals(kind))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("kind: " + group + "/" + kind
            + " (expected: a kind whose CustomResourceDefinition is installed, such as the"
            + " Istio kinds after installIstioCrds())"));
    return crd.getSpec().getVersions().stream()
        .filter(v -> Boolean.TRUE.equals(v.getServed()))
        .map(v -> new ResourceDefinitionContext.Builder()
            .withGroup(group).withVersion(v.getName()).withKind(kind)
            .withPlural(crd.getSpec().getNames().getPlural())
            .withNamespaced("Namespaced".equals(crd.getSpec().getScope()))
            .build())
        .toList();
  }
}
