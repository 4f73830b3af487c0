package io.inboard.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.inbound.AccessPolicy;
import io.inboard.mesh.security.internal.inbound.InboundAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A control plane with its CA, one {@link AnyCallPod} ({@code authz}, service account
 * {@code authz}, namespace {@code default}) and three callers: {@code sleep} of namespace
 * {@code default} and {@code other} of namespace {@code foo}, both mesh workloads calling over
 * mTLS, and a plaintext client outside the mesh. Policies are applied through the control plane
 * and awaited on the pod, as a user's {@code inboardctl apply} would reach it.
 */
final class AccessBed implements AutoCloseable {
  static final String HOST = "authz.default.svc.cluster.local";
  private static final Duration PROPAGATION = Duration.ofSeconds(20);

  final SecurityBed bed;
  final AnyCallPod pod;
  final AccessCallers sleep;
  final AccessCallers foo;
  final AccessCallers outside;
  private final List<String> applied = new ArrayList<>();

  AccessBed() throws Exception {
    this(new SecurityBed());
  }

  AccessBed(SecurityBed bed) throws Exception {
    this.bed = bed;
    Duration life = Duration.ofHours(1);
    pod = new AnyCallPod(bed.builder("authz-v1", "authz", SecurityBed.NAMESPACE, "authz", life)
        .adminPort(0).build(), "127.0.0.61");
    bed.register("authz", pod.grpcPort(), pod.ip, "authz", true);
    bed.register("authz", pod.httpPort(), pod.ip, "authz", true);
    sleep = AccessCallers.inMesh(bed.mesh("sleep-v1", "sleep", "sleep", life), HOST, pod);
    foo = AccessCallers.inMesh(bed.builder("other-v1", "other", "foo", "other", life).build(),
        HOST, pod);
    outside = AccessCallers.outside(pod);
  }

  /** {@code yaml} with the pod's ports in place of {@code ${GRPC_PORT}} and {@code ${HTTP_PORT}}. */
  String withPorts(String yaml) {
    return yaml.replace("${GRPC_PORT}", "" + pod.grpcPort())
        .replace("${HTTP_PORT}", "" + pod.httpPort()).replace("${POD_IP}", pod.ip);
  }

  /**
   * Replaces the policies applied before with {@code yaml} (empty: none), and waits until the
   * pod enforces exactly the resources it names.
   */
  void enforce(String yaml) {
    for (String before : applied) {
      bed.cp.delete(before);
    }
    if (!applied.isEmpty()) {
      // rows reuse policy names: until the pod has seen the old one go, the name alone would
      // not tell the new content from the old (the control plane batches changes, so both
      // could otherwise reach the pod in one push or the old stay a moment longer)
      await().atMost(PROPAGATION).untilAsserted(() -> assertThat(enforced()).isEmpty());
    }
    applied.clear();
    if (!yaml.isBlank()) {
      bed.apply(withPorts(yaml));
      applied.add(withPorts(yaml));
    }
    Set<String> names = names(yaml);
    await().atMost(PROPAGATION).untilAsserted(() -> assertThat(enforced()).isEqualTo(names));
  }

  /** The {@code namespace/name} of every policy the pod enforces now. */
  Set<String> enforced() {
    AccessPolicy p = InboundAccess.of(pod.mesh).policy();
    Set<String> out = new TreeSet<>();
    p.authorizationPolicies().stream().map(PolicySource::id).forEach(out::add);
    p.requestAuthentications().stream().map(PolicySource::id).forEach(out::add);
    return out;
  }

  private static Set<String> names(String yaml) {
    return java.util.regex.Pattern.compile("(?m)^  name: \"?([\\w.-]+)\"?$").matcher(yaml)
        .results().map(m -> SecurityBed.NAMESPACE + "/" + m.group(1))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Override
  public void close() throws Exception {
    sleep.close();
    foo.close();
    outside.close();
    pod.close();
    bed.close();
  }
}
