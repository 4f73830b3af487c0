package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a real cluster's controllers do and fabric8's CRUD mock does not: the Deployment
 * controller reports every replica updated and ready for the latest generation, and the
 * apiextensions controller marks each CRD Established. Driven by informers, so that status
 * follows each write as it would in a cluster.
 */
public final class InstallClusterControllers implements AutoCloseable {
  private final List<SharedIndexInformer<?>> informers;

  private InstallClusterControllers(List<SharedIndexInformer<?>> informers) {
    this.informers = informers;
  }

  public static InstallClusterControllers start(KubernetesClient client) {
    SharedIndexInformer<Deployment> deployments = client.apps().deployments().inAnyNamespace()
        .inform(handler(d -> rollOut(client, d)));
    SharedIndexInformer<CustomResourceDefinition> crds = client.apiextensions().v1()
        .customResourceDefinitions().inform(handler(c -> establish(client, c)));
    return new InstallClusterControllers(List.of(deployments, crds));
  }

  private static void rollOut(KubernetesClient client, Deployment d) {
    long generation = d.getMetadata().getGeneration() == null ? 0
        : d.getMetadata().getGeneration();
    if (d.getStatus() != null && d.getStatus().getObservedGeneration() != null
        && d.getStatus().getObservedGeneration() >= generation) {
      return;
    }
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
        .withName(d.getMetadata().getName()).editStatus(x -> {
          x.setStatus(new DeploymentStatusBuilder().withReplicas(replicas)
              .withUpdatedReplicas(replicas).withReadyReplicas(replicas)
              .withAvailableReplicas(replicas).withObservedGeneration(
                  x.getMetadata().getGeneration()).build());
          return x;
        });
  }

  private static void establish(KubernetesClient client, CustomResourceDefinition c) {
    if (c.getStatus() != null && !c.getStatus().getConditions().isEmpty()) {
      return;
    }
    client.apiextensions().v1().customResourceDefinitions().withName(c.getMetadata().getName())
        .editStatus(x -> {
          x.setStatus(new CustomResourceDefinitionStatusBuilder().withConditions(
              new CustomResourceDefinitionConditionBuilder().withType("Established")
                  .withStatus("True").build()).build());
          return x;
        });
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> reconcile) {
    Consumer<T> safe = o -> {
      try {
        reconcile.accept(o);
      } catch (KubernetesClientException e) {
        // deleted or changed meanwhile: the next event reconciles again
      }
    };
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        safe.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        safe.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      }
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
