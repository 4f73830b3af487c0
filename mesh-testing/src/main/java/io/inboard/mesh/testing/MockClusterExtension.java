package io.inboard.mesh.testing;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A {@link MockCluster} as a JUnit 5 extension (see {@link LifecycleExtension}): the fabric8 CRUD
 * mock API server with the EndpointSlice controller, started per class or per test.
 *
 * <pre>{@code
 * @RegisterExtension static final MockClusterExtension k8s = new MockClusterExtension();
 * @RegisterExtension static final GrpcBackendExtension v1 = GrpcBackendExtension.on("127.0.0.2").build();
 *
 * k8s.cluster().service("reviews", "default").selector("app", "reviews")
 *     .port("grpc", 9080, "grpc").create();
 * k8s.pod("reviews-v1-0", "default", v1, "grpc").label("app", "reviews").create();
 * }</pre>
 */
public final class MockClusterExtension extends LifecycleExtension<MockClusterExtension> {

  private volatile MockCluster cluster;

  /** A cluster extension; the API server starts with the extension. */
  public MockClusterExtension() {}

  @Override
  protected void doStart() {
    cluster = MockCluster.start();
  }

  @Override
  protected void doStop() {
    cluster.close();
  }

  /**
   * The running cluster. Starts it if JUnit has not yet, so that a test's field initializers
   * can use it ({@code final MockCluster cluster = k8s.cluster();}).
   */
  public MockCluster cluster() {
    start();
    return cluster;
  }

  /** A client for the mock API server; the cluster owns it. */
  public KubernetesClient client() {
    return cluster().client();
  }

  /**
   * A Pod for {@code backend}: its address, its labels and a container port named {@code
   * portName} on the backend's port. Add more with the builder, then {@code create()}.
   */
  public MockPodBuilder pod(String name, String namespace, LoopbackBackend backend,
      String portName) {
    requireNonNull(backend, "backend");
    MockPodBuilder pod = cluster().pod(name, namespace).ip(backend.ip())
        .containerPort(portName, backend.port());
    backend.labels().forEach(pod::label);
    return pod;
  }
}
