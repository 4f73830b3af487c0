package io.inboard.mesh.http.mtls;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import io.inboard.mesh.security.internal.tls.MeshSslContexts;
import io.inboard.mesh.security.internal.tls.PeerCheck;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test identities of trust domain {@code cluster.local}, namespace {@code default}, issued by one
 * in-memory mesh CA per test JVM, and the meshes and JDK clients that use them.
 */
public final class MeshCertificates {

  /** The mesh's CA. */
  public static final InMemoryAuthority CA = InMemoryAuthority.create("cluster.local");

  /** A client pool for every test JDK client: never the JDK's default executor. */
  private static final ExecutorService CLIENT_THREADS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-http-client");
    t.setDaemon(true);
    return t;
  });

  private MeshCertificates() {}

  /** {@code spiffe://cluster.local/ns/default/sa/<serviceAccount>}. */
  public static SpiffeId id(String serviceAccount) {
    return SpiffeId.of("cluster.local", "default", serviceAccount);
  }

  /** An identity for {@code serviceAccount} with a one-hour certificate from {@link #CA}. */
  public static InMemoryIdentity identity(String serviceAccount) {
    return identity(serviceAccount, CA);
  }

  /** An identity for {@code serviceAccount} with a one-hour certificate from {@code ca}. */
  public static InMemoryIdentity identity(String serviceAccount, InMemoryAuthority ca) {
    InMemoryIdentity identity = new InMemoryIdentity(id(serviceAccount));
    identity.update(ca.issue(id(serviceAccount), Duration.ofHours(1)));
    return identity;
  }

  /**
   * A mesh for workload {@code workload} (no control plane, admin server on an ephemeral port)
   * with {@code identity} installed, or none when it is null.
   */
  public static Mesh mesh(String workload, String app, WorkloadIdentity identity) {
    Mesh mesh = Mesh.builder().workloadName(workload).namespace("default")
        .labels(java.util.Map.of("app", app, "version", "v1"))
        .discovery(new StaticDiscovery()).adminPort(0).build();
    if (identity != null) {
      MeshIdentity.install(mesh, identity);
    }
    return mesh;
  }

  /** A plain JDK client, as a workload outside the mesh has. */
  public static HttpClient plaintextClient() {
    return HttpClient.newBuilder().executor(CLIENT_THREADS).version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** A JDK client presenting {@code identity}'s certificate and accepting any mesh server. */
  public static HttpClient mtlsClient(WorkloadIdentity identity) {
    return HttpClient.newBuilder().executor(CLIENT_THREADS).version(HttpClient.Version.HTTP_1_1)
        .sslContext(MeshSslContexts.client(identity, PeerCheck.ANY)).build();
  }
}
