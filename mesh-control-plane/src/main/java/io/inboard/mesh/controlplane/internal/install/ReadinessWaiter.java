package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waits, as istioctl's {@code wait.go}, for CRDs to be Established and Deployments rolled out,
 * all within one readiness timeout (istioctl's default: 300 s) that starts with the waiter.
 */
final class ReadinessWaiter {
  private final KubernetesClient client;
  private final Duration timeout;
  private final long deadlineNanos;

  ReadinessWaiter(KubernetesClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  void crdEstablished(String name) {
    var resource = client.apiextensions().v1().customResourceDefinitions().withName(name);
    await(resource::waitUntilCondition, ReadinessWaiter::established, () -> "CRD " + name
        + " not Established after " + timeout.toSeconds() + " s (--readiness-timeout)");
  }

  void rolledOut(String namespace, String name) {
    var resource = client.apps().deployments().inNamespace(namespace).withName(name);
    await(resource::waitUntilCondition, ReadinessWaiter::rolledOut, () -> {
      Deployment d = resource.get();
      return "Deployment " + namespace + "/" + name + " not rolled out after "
          + timeout.toSeconds() + " s (--readiness-timeout): " + progress(d);
    });
  }

  static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream().anyMatch(
            c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Every replica updated and ready, and the controller has seen the latest spec. */
  static boolean rolledOut(Deployment d) {
    if (d == null || d.getStatus() == null) {
      return false;
    }
    DeploymentStatus s = d.getStatus();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    long generation = d.getMetadata().getGeneration() == null ? 0
        : d.getMetadata().getGeneration();
    return Objects.equals(s.getUpdatedReplicas(), replicas)
        && Objects.equals(s.getReadyReplicas(), replicas)
        && s.getObservedGeneration() != null && s.getObservedGeneration() >= generation;
  }

  private static String progress(Deployment d) {
    if (d == null) {
      return "it does not exist";
    }
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    DeploymentStatus s = d.getStatus();
    return s == null ? "no status yet (is a controller running?)"
        : "updated " + orZero(s.getUpdatedReplicas()) + "/" + replicas + ", ready "
            + orZero(s.getReadyReplicas()) + "/" + replicas;
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private interface ConditionWait<T> {
    T waitUntilCondition(Predicate<T> condition, long amount, TimeUnit unit);
  }

  private <T> void await(ConditionWait<T> wait, Predicate<T> ready,
      java.util.function.Supplier<String> timedOut) {
    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    try {
      wait.waitUntilCondition(ready, left, TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new IllegalStateException(timedOut.get(), e);
    }
  }
}
