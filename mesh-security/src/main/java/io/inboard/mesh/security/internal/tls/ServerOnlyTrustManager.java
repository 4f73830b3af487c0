package io.inboard.mesh.security.internal.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager for a context that only connects out: it checks servers (the subclass says
 * how) and refuses every client, naming the context in the refusal.
 */
public abstract class ServerOnlyTrustManager extends X509ExtendedTrustManager {
  private final String refusal;

  /** @param refusal why clients are refused, e.g. "the CA client accepts no connections" */
  protected ServerOnlyTrustManager(String refusal) {
    this.refusal = refusal;
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException(refusal);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType,
      SSLEngine engine) throws CertificateException {
    throw new CertificateException(refusal);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException(refusal);
  }
}
