package io.inboard.e2e.inject;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import io.inboard.mesh.xds.internal.XdsNode;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The application of an injected pod, run in a child JVM: it builds its mesh with no arguments
 * at all, so that everything comes from the injected environment, and prints the SPIFFE ID of
 * the certificate it got, the xDS node it announced and its labels; then it stays in the mesh
 * until its standard input closes.
 */
public final class InjectedPodMain {
  private InjectedPodMain() {}

  public static void main(String[] args) throws Exception {
    try (Mesh mesh = Mesh.builder().build()) {
      WorkloadIdentity identity = MeshIdentity.of(mesh).orElseThrow(() ->
          new IllegalStateException("no mesh identity: " + mesh.settings()));
      CompletableFuture<IdentityMaterial> first = new CompletableFuture<>();
      identity.addListener(first::complete);
      X509Certificate leaf = first.get(30, TimeUnit.SECONDS).leaf();
      for (List<?> san : leaf.getSubjectAlternativeNames()) {
        if ((Integer) san.get(0) == 6) {
          System.out.println("spiffe " + san.get(1));
        }
      }
      System.out.println("node " + XdsNode.id(mesh.settings()));
      System.out.println("mode " + mesh.settings().discoveryMode() + " "
          + mesh.settings().controlPlanes());
      System.out.println("labels " + new TreeMap<>(mesh.settings().labels()));
      System.out.flush();
      // stay connected until the test is done with us
      while (System.in.read() >= 0) {
        // nothing to read: the parent closes our stdin to stop us
      }
    }
  }
}
