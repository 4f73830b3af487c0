package io.inboard.mesh.security.internal.tls;

import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * JDK {@link SSLContext}s over a workload's rotating identity. Make one per client or server and
 * keep it: rotation happens inside the key and trust managers, so the context never changes.
 */
public final class MeshSslContexts {
  private MeshSslContexts() {}

  /**
   * A context that presents {@code identity}'s certificate and accepts servers that verify
   * against its roots and pass {@code serverCheck}.
   */
  public static SSLContext client(WorkloadIdentity identity, PeerCheck serverCheck) {
    return context(new MeshKeyManager(identity),
        new SpiffeTrustManager(identity, serverCheck, PeerCheck.ANY));
  }

  /** A context that presents {@code identity}'s certificate and accepts any mesh client. */
  public static SSLContext server(WorkloadIdentity identity) {
    return context(new MeshKeyManager(identity),
        new SpiffeTrustManager(identity, PeerCheck.ANY, PeerCheck.ANY));
  }

  /** A TLS context over the given managers. */
  public static SSLContext context(KeyManager keyManager, TrustManager trustManager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK TLS unavailable: " + e.getMessage(), e);
    }
  }
}
