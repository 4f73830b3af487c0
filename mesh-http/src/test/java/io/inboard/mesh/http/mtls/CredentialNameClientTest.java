package io.inboard.mesh.http.mtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import io.inboard.mesh.security.internal.pki.Pem;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inboard's HTTP client calling a plain TLS server (the JDK's HttpsServer, not a mesh
 * workload) as a real control plane translates a DestinationRule with {@code credentialName}:
 * the Secret's CA verifies the server and its SAN is checked (SIMPLE), the Secret's client
 * certificate is presented to a server that requires one (MUTUAL), a server of the wrong name
 * is refused, and a missing Secret fails calls rather than sending them without TLS material.
 */
class CredentialNameClientTest {
  private static final InMemoryAuthority SERVER_CA = InMemoryAuthority.create("server-ca");
  private static final InMemoryAuthority CLIENT_CA = InMemoryAuthority.create("client-ca");
  private static final SpiffeId SERVER = SpiffeId.parse("spiffe://example.org/ns/ext/sa/details");
  private static final SpiffeId CLIENT = SpiffeId.parse("spiffe://example.org/ns/default/sa/pp");

  private ControlPlane cp;
  private HttpsServer server;
  private Mesh mesh;

  @AfterEach
  void stop() {
    if (mesh != null) {
      mesh.close();
    }
    if (server != null) {
      server.stop(0);
    }
    if (cp != null) {
      cp.close();
    }
  }

  /** A TLS server as {@link #SERVER}, requiring a client certificate of CLIENT_CA if asked. */
  private int startServer(boolean requireClientCertificate) throws Exception {
    IdentityMaterial m = SERVER_CA.issue(SERVER, Duration.ofHours(1));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", m.key(), new char[0], m.chain().toArray(X509Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("client-ca", CLIENT_CA.root());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        p.setNeedClientAuth(requireClientCertificate);
        params.setSSLParameters(p);
      }
    });
    server.createContext("/", exchange -> {
      String client;
      try {
        var certs = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
        client = ((X509Certificate) certs[0]).getSubjectAlternativeNames().iterator().next()
            .get(1).toString();
      } catch (Exception e) {
        client = "none";
      }
      byte[] body = ("client=" + client).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    });
    server.start();
    return server.getAddress().getPort();
  }

  /** A control plane serving details:9080 at {@code port} under {@code config}. */
  private MeshHttpClient client(int port, String config) throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    Diagnostics d = cp.apply(config);
    assertThat(d.hasErrors()).as(d.toString()).isFalse();
    cp.register(new ServiceEndpoint("details.default.svc.cluster.local", 9080, "127.0.0.1",
        port, Map.of(), ""));
    mesh = Mesh.builder().workloadName("productpage-v1").namespace("default").adminPort(-1)
        .initialConfigTimeout(Duration.ofSeconds(10)).controlPlane(cp.xdsAddress()).build();
    return newClient(mesh);
  }

  /** The client under test (a subclass runs these tests over another transport). */
  MeshHttpClient newClient(Mesh mesh) {
    return MeshHttpClient.of(mesh);
  }

  private static String rule(String mode, String credentialName, SpiffeId san) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: details, namespace: default}
        spec:
          host: details
          trafficPolicy:
            tls: {mode: %s, credentialName: %s, subjectAltNames: ['%s']}
        """.formatted(mode, credentialName, san);
  }

  private static String secret(String name, Map<String, String> pem) {
    StringBuilder data = new StringBuilder();
    pem.forEach((k, v) -> data.append("  ").append(k).append(": ").append(Base64.getEncoder()
        .encodeToString(v.getBytes(StandardCharsets.US_ASCII))).append('\n'));
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: default}
        data:
        %s---
        """.formatted(name, data);
  }

  private static String clientCredential() {
    IdentityMaterial c = CLIENT_CA.issue(CLIENT, Duration.ofHours(1));
    return secret("details-cred", Map.of("tls.crt", Pem.encode(c.chain()),
        "tls.key", Pem.encode(c.key()), "ca.crt", Pem.encode(SERVER_CA.root())));
  }

  private static HttpResponse<String> get(MeshHttpClient http) throws Exception {
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://details:9080/x"))
        .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString())
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void simple_verifiesTheServerAgainstTheSecretsCa_andChecksItsSan() throws Exception {
    int port = startServer(false);
    MeshHttpClient http = client(port, secret("details-ca", Map.of("ca.crt",
        Pem.encode(SERVER_CA.root()))) + rule("SIMPLE", "details-ca", SERVER));

    HttpResponse<String> r = get(http);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.uri().getScheme()).isEqualTo("https");
    assertThat(r.body()).isEqualTo("client=none");
  }

  @Test
  void mutual_presentsTheSecretsClientCertificate_toAServerThatRequiresOne() throws Exception {
    int port = startServer(true);
    MeshHttpClient http = client(port, clientCredential() + rule("MUTUAL", "details-cred",
        SERVER));

    HttpResponse<String> r = get(http);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("client=" + CLIENT);
  }

  @Test
  void serverWhoseSanIsNotTheRulesSubjectAltName_isRefused() throws Exception {
    int port = startServer(true);
    MeshHttpClient http = client(port, clientCredential() + rule("MUTUAL", "details-cred",
        SpiffeId.parse("spiffe://example.org/ns/ext/sa/reviews")));

    assertThatThrownBy(() -> get(http)).isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("none matching the destination's match_subject_alt_names");
  }

  @Test
  void missingSecret_failsNamingIt_neverWithoutCertificates() throws Exception {
    int port = startServer(false);
    MeshHttpClient http = client(port, rule("SIMPLE", "absent", SERVER));

    assertThatThrownBy(() -> get(http)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("outbound|9080||details.default.svc.cluster.local")
        .hasMessageContaining("Secret default/absent not found");
  }
}
