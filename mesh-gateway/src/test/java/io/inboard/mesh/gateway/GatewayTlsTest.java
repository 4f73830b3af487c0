package io.inboard.mesh.gateway;

import static io.inboard.mesh.gateway.GatewayRig.RATINGS;
import static io.inboard.mesh.gateway.GatewayRig.REVIEWS;
import static io.inboard.mesh.gateway.GatewayXds.host;
import static io.inboard.mesh.gateway.GatewayXds.prefix;
import static io.inboard.mesh.gateway.GatewayXds.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.inboard.mesh.testing.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS listeners: SNI picks the chain (and so the certificate and route config), MUTUAL chains
 * require a client certificate the chain's CA signed.
 */
class GatewayTlsTest {

  static GatewayRig rig;
  static TestPki pki;
  static TestPki.Leaf client;
  static int simplePort;
  static int mutualPort;
  static int reloadPort;
  static Path dir;

  @BeforeAll
  static void start(@TempDir Path tmp) throws Exception {
    dir = tmp;
    rig = new GatewayRig();
    pki = new TestPki("test-ca");
    Path[] a = TestPki.write(dir, "a", pki.issue("a.example.com"));
    Path[] b = TestPki.write(dir, "b", pki.issue("b.example.com"));
    Path[] m = TestPki.write(dir, "m", pki.issue("mtls.example.com"));
    Path ca = pki.writeCa(dir);
    Path[] r = TestPki.write(dir, "r", pki.issue("before.example.com"));
    reloadPort = LoopbackPorts.free();
    client = pki.issue("client.example.com");
    simplePort = LoopbackPorts.free();
    mutualPort = LoopbackPorts.free();
    RouteConfiguration ra = routes("https.a", host("a", "*").addRoutes(prefix("/", REVIEWS))
        .build());
    RouteConfiguration rb = routes("https.b", host("b", "*").addRoutes(prefix("/", RATINGS))
        .build());
    RouteConfiguration plain = routes("http.p", host("p", "*").addRoutes(prefix("/", REVIEWS))
        .build());
    rig.serve(List.of(GatewayXds.plaintext(rig.port, plain.getName()),
        GatewayXds.listener(simplePort,
            GatewayXds.tlsChain(ra.getName(), a[0], a[1], null, "a.example.com"),
            GatewayXds.tlsChain(rb.getName(), b[0], b[1], null, "*.b.example.com",
                "b.example.com")),
        GatewayXds.listener(mutualPort,
            GatewayXds.tlsChain(ra.getName(), m[0], m[1], ca)),
        GatewayXds.listener(reloadPort, GatewayXds.tlsChain(ra.getName(), r[0], r[1], null)),
        GatewayXds.index(GatewayXds.listenerName(rig.port), GatewayXds.listenerName(simplePort),
            GatewayXds.listenerName(mutualPort), GatewayXds.listenerName(reloadPort))),
        List.of(ra, rb, plain));
    await().atMost(Duration.ofSeconds(20)).until(() -> rig.gateway.ready());
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void sniChoosesTheChainItsCertificateAndItsRoutes() throws Exception {
    Reply a = get(simplePort, "a.example.com", pki.clientContext(null));
    assertThat(a.serverName()).isEqualTo("CN=a.example.com");
    assertThat(a.text()).startsWith("HTTP/1.1 200").endsWith("reviews /tls");
    Reply b = get(simplePort, "eu.b.example.com", pki.clientContext(null));
    assertThat(b.serverName()).isEqualTo("CN=b.example.com");
    assertThat(b.text()).startsWith("HTTP/1.1 200").endsWith("ratings /tls");
    assertThat(b.text()).contains("echo-x-forwarded-proto: https");
  }

  @Test
  void mutualTlsServesAClientWithACertificateOfItsCaAndRejectsOneWithout() throws Exception {
    Reply ok = get(mutualPort, "mtls.example.com", pki.clientContext(client));
    assertThat(ok.text()).startsWith("HTTP/1.1 200").endsWith("reviews /tls");
    assertThatThrownBy(() -> get(mutualPort, "mtls.example.com", pki.clientContext(null)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aCertificateFileThatChangesIsReadAgainForNewConnections() throws Exception {
    assertThat(get(reloadPort, "r.example.com", pki.clientContext(null)).serverName())
        .isEqualTo("CN=before.example.com");
    Path[] files = TestPki.write(dir, "r", pki.issue("after.example.com"));
    // a later modification time even where the file system counts whole seconds
    java.nio.file.attribute.FileTime later = java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().plusSeconds(5));
    java.nio.file.Files.setLastModifiedTime(files[0], later);
    java.nio.file.Files.setLastModifiedTime(files[1], later);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(get(reloadPort, "r.example.com", pki.clientContext(null)).serverName())
            .isEqualTo("CN=after.example.com"));
  }

  record Reply(String serverName, String text) {}

  /** {@code GET /tls} over TLS with SNI {@code sni}, read to the end (Connection: close). */
  static Reply get(int port, String sni, SSLContext ctx) throws Exception {
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      SSLParameters p = s.getSSLParameters();
      p.setServerNames(List.of(new SNIHostName(sni)));
      p.setApplicationProtocols(new String[] {"http/1.1"});
      s.setSSLParameters(p);
      s.startHandshake();
      String name = ((X509Certificate) s.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal().getName();
      OutputStream out = s.getOutputStream();
      out.write(("GET /tls HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (text.isEmpty()) {
        throw new IOException("connection closed without a response");
      }
      return new Reply(name, text);
    }
  }
}
