package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code inboardctl precheck}, as {@code istioctl x precheck}: the API server answers and runs
 * Kubernetes 1.26 or newer; each CRD install would apply is absent, install's own, or serves
 * the kind and a version Inboard reads (Istio's); no Istio control plane ({@code istiod}) runs
 * beside (two meshes would serve the same resources and inject the same pods); and the caller
 * may write every kind install writes. Permissions are asked with SelfSubjectAccessReview; a
 * server that does not evaluate the review (fabric8's CRUD mock refuses it with 422, as an object
 * without metadata, or would store it and answer without status) is checked by listing each
 * kind instead, which proves read access only; the note says so.
 */
public final class Precheck {
  /** The oldest Kubernetes minor version install supports (server-side apply is GA in 1.22). */
  static final int MIN_MINOR = 26;
  private static final Pattern MINOR = Pattern.compile("([0-9]+).*");
  private static final List<String> VERBS = List.of("get", "list", "create", "patch", "update",
      "delete");

  private final KubernetesClient client;
  private final PrintStream out;

  public Precheck(KubernetesClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  /** What the checks found. */
  public record Result(List<String> errors, List<String> warnings) {}

  /** Runs every check against {@code manifest}'s objects and prints the findings. */
  public Result run(RenderedManifest manifest) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    VersionInfo v = client.getKubernetesVersion();
    Matcher minor = MINOR.matcher(v.getMinor() == null ? "" : v.getMinor());
    if (!"1".equals(v.getMajor()) || !minor.matches()
        || Integer.parseInt(minor.group(1)) < MIN_MINOR) {
      errors.add("Kubernetes version: " + v.getMajor() + "." + v.getMinor()
          + " (expected: 1." + MIN_MINOR + " or newer)");
    }
    for (HasMetadata o : manifest.part("crds.yaml").objects()) {
      checkCrd((CustomResourceDefinition) o, errors);
    }
    for (Deployment d : client.apps().deployments().inAnyNamespace().withLabel("app", "istiod")
        .list().getItems()) {
      warnings.add("Istio control plane: Deployment " + d.getMetadata().getNamespace()
          + "/istiod runs in this cluster; with Inboard's, two meshes would serve the same"
          + " Istio resources and both inject pods of namespaces labelled istio-injection=enabled");
    }
    checkPermissions(manifest, errors);
    errors.forEach(e -> out.println("✘ " + e));
    warnings.forEach(w -> out.println("! " + w));
    if (errors.isEmpty() && warnings.isEmpty()) {
      out.println("✔ No issues found when checking the cluster. Inboard is safe to install or"
          + " upgrade!");
    }
    return new Result(errors, warnings);
  }

  private void checkCrd(CustomResourceDefinition wanted, List<String> errors) {
    String name = wanted.getMetadata().getName();
    CustomResourceDefinition live = client.apiextensions().v1().customResourceDefinitions()
        .withName(name).get();
    if (live == null || InstallLabels.ours(live)) {
      return;
    }
    List<String> reads = wanted.getSpec().getVersions().stream()
        .map(CustomResourceDefinitionVersion::getName).toList();
    List<String> served = live.getSpec().getVersions().stream()
        .filter(x -> Boolean.TRUE.equals(x.getServed()))
        .map(CustomResourceDefinitionVersion::getName).toList();
    if (!wanted.getSpec().getNames().getKind().equals(live.getSpec().getNames().getKind())
        || served.stream().noneMatch(reads::contains)) {
      errors.add("CRD " + name + ": exists and is not Istio's: kind "
          + live.getSpec().getNames().getKind() + ", served versions " + served + " (expected: kind "
          + wanted.getSpec().getNames().getKind() + " serving one of " + reads + ")");
    }
  }

  private void checkPermissions(RenderedManifest manifest, List<String> errors) {
    Map<String, ResourceDefinitionContext> kinds = new LinkedHashMap<>();
    for (HasMetadata o : manifest.objects()) {
      ResourceDefinitionContext c = o.getKind().equals("Telemetry") ? ManagedObjects.TELEMETRY
          : ResourceDefinitionContext.fromResourceType(o.getClass());
      kinds.putIfAbsent(c.getGroup() + "/" + c.getPlural(), c);
    }
    String notEvaluated = null;
    for (ResourceDefinitionContext c : kinds.values()) {
      for (String verb : VERBS) {
        SelfSubjectAccessReview review;
        try {
          review = client.authorization().v1().selfSubjectAccessReview()
              .create(new SelfSubjectAccessReviewBuilder().withNewSpec()
                  .withNewResourceAttributes().withGroup(c.getGroup())
                  .withResource(c.getPlural()).withVerb(verb).endResourceAttributes().endSpec()
                  .build());
        } catch (KubernetesClientException e) {
          notEvaluated = "HTTP " + e.getCode();
          break;
        }
        if (review.getStatus() == null || review.getStatus().getAllowed() == null) {
          notEvaluated = "no status in the answer";
          break;
        }
        if (!review.getStatus().getAllowed()) {
          errors.add("permissions: cannot " + verb + " " + c.getPlural()
              + (c.getGroup() == null || c.getGroup().isEmpty() ? "" : "." + c.getGroup())
              + " (expected: install's caller may get, list, create, patch, update and delete"
              + " every kind it installs, such as cluster-admin)");
        }
      }
      if (notEvaluated != null) {
        break;
      }
    }
    if (notEvaluated != null) {
      out.println("  permissions: the API server did not evaluate SelfSubjectAccessReview ("
          + notEvaluated + "); checked by listing each kind instead");
      for (ResourceDefinitionContext c : kinds.values()) {
        try {
          client.genericKubernetesResources(c).inAnyNamespace().list();
        } catch (KubernetesClientException e) {
          if (e.getCode() == 401 || e.getCode() == 403) {
            errors.add("permissions: cannot list " + c.getPlural() + " (HTTP " + e.getCode()
                + "; expected: install's caller may read and write every kind it installs)");
          }
        }
      }
    }
  }
}
