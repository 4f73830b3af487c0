package io.inboard.mesh.http.internal.tls;

import io.inboard.mesh.http.internal.route.XdsStringMatch;
import io.inboard.mesh.security.internal.pki.Pem;
import io.inboard.mesh.security.internal.tls.ServerOnlyTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The JDK {@link SSLContext} of a DestinationRule's SIMPLE or MUTUAL settings: the client's own
 * key and chain (MUTUAL), and a trust manager that checks the server's chain against the given
 * CAs (or the JDK's defaults) and its SANs against the cluster's matchers. The JDK's hostname
 * check is replaced by the SAN matchers: calls go to endpoint addresses, not to the names in
 * the server's certificate.
 */
final class CustomTlsContexts {
  private static final char[] NO_PASSWORD = new char[0];

  private CustomTlsContexts() {}

  /**
   * The context for {@code tls}.
   *
   * @throws IllegalArgumentException naming what cannot be used
   */
  static SSLContext of(UpstreamTls.Custom tls) {
    try {
      KeyManager[] keys = null;
      if (tls.mutual()) {
        List<X509Certificate> chain = Pem.certificates(tls.certificateChainPem().get());
        PrivateKey key = Pem.privateKey(tls.privateKeyPem().orElseThrow(() ->
            new IllegalArgumentException("tls_certificates: a certificate_chain without a"
                + " private_key")));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(
            KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, NO_PASSWORD);
        keys = kmf.getKeyManagers();
      }
      TrustManager trust = new ServerTrust(tls.verify() ? pkix(tls) : null,
          tls.subjectAltNames().stream()
              .map(m -> XdsStringMatch.of(m, "match_subject_alt_names")).toList());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("TLS settings unusable: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager pkix(UpstreamTls.Custom tls)
      throws GeneralSecurityException, java.io.IOException {
    KeyStore cas = null;
    if (tls.trustedCaPem().isPresent()) {
      cas = KeyStore.getInstance("PKCS12");
      cas.load(null, null);
      int i = 0;
      for (X509Certificate ca : Pem.certificates(tls.trustedCaPem().get())) {
        cas.setCertificateEntry("ca-" + i++, ca);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(cas); // null: the JDK's default trust store
    for (TrustManager t : tmf.getTrustManagers()) {
      if (t instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /**
   * Checks a server's chain ({@code pkix} null: not at all, {@code insecureSkipVerify}) and its
   * SANs. Extends {@link X509ExtendedTrustManager} so JSSE adds no hostname check of its own.
   */
  private static final class ServerTrust extends ServerOnlyTrustManager {
    private final X509TrustManager pkix;
    private final List<Predicate<String>> sans;

    ServerTrust(X509TrustManager pkix, List<Predicate<String>> sans) {
      super("a client context does not accept clients");
      this.pkix = pkix;
      this.sans = sans;
    }

    private void check(X509Certificate[] chain, String authType) throws CertificateException {
      if (pkix == null) {
        return;
      }
      // the two-argument form validates the chain only, without endpoint identification
      pkix.checkServerTrusted(chain, authType);
      if (sans.isEmpty()) {
        return;
      }
      List<String> names = names(chain[0]);
      for (String n : names) {
        for (Predicate<String> m : sans) {
          if (m.test(n)) {
            return;
          }
        }
      }
      throw new CertificateException("server certificate " + chain[0].getSubjectX500Principal()
          + " has subject alt names " + names + ", none matching the destination's"
          + " match_subject_alt_names (DestinationRule subjectAltNames)");
    }

    private static List<String> names(X509Certificate c) throws CertificateParsingException {
      List<String> names = new ArrayList<>();
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.get(1) instanceof String s) {
            names.add(s);
          }
        }
      }
      return names;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain, authType);
    }




    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix == null ? new X509Certificate[0] : pkix.getAcceptedIssuers();
    }
  }
}
