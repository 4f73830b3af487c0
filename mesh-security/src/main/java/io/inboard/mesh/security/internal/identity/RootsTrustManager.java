package io.inboard.mesh.security.internal.identity;

import io.inboard.mesh.security.internal.tls.ServerOnlyTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts the CA's server certificate the ordinary TLS way (a PKIX path to a root, and the
 * hostname check that the transport asks for) against roots that can change while the channel
 * lives: the JDK's own trust manager, rebuilt whenever the root set changes.
 */
final class RootsTrustManager extends ServerOnlyTrustManager {
  private volatile Delegate delegate;

  RootsTrustManager(List<X509Certificate> roots) {
    super("the CA client accepts no connections");
    setRoots(roots);
  }

  /** Trusts {@code roots} from the next handshake on. */
  void setRoots(List<X509Certificate> roots) {
    Delegate d = delegate;
    if (d != null && d.roots.equals(roots)) {
      return;
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < roots.size(); i++) {
        store.setCertificateEntry("root-" + i, roots.get(i));
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          delegate = new Delegate(List.copyOf(roots), x);
          return;
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot trust the mesh roots: " + e.getMessage(), e);
    }
  }

  private record Delegate(List<X509Certificate> roots, X509ExtendedTrustManager tm) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.tm.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.tm.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.tm.checkServerTrusted(chain, authType);
  }




  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.roots.toArray(X509Certificate[]::new);
  }
}
