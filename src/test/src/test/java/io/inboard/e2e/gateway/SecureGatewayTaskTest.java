package io.inboard.e2e.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.controlplane.ControlPlane;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Istio's "Secure Gateways" task (istio.io/latest/docs/tasks/traffic-management/ingress/
 * secure-ingress/), adapted: certificates made with {@code openssl} as the task makes them, a
 * {@code kubernetes.io/tls} Secret named by the Gateway's {@code credentialName}, TLS SIMPLE for
 * {@code httpbin.example.com}, and a plaintext server with {@code httpsRedirect}.
 */
class SecureGatewayTaskTest {

  private static GatewayTaskBed bed;
  private static ControlPlane controlPlane;
  private static LocalGateway gateway;
  private static int httpsPort;
  private static int httpPort;
  private static SSLContext client;

  @BeforeAll
  static void start() throws Exception {
    Path certs = Files.createTempDirectory("secure-gateway-");
    // the task's commands: an example.com root, and httpbin.example.com signed by it
    openssl(certs, "req", "-x509", "-sha256", "-nodes", "-days", "2", "-newkey", "rsa:2048",
        "-subj", "/O=example Inc./CN=example.com", "-keyout", "example.com.key",
        "-out", "example.com.crt");
    openssl(certs, "req", "-out", "httpbin.example.com.csr", "-newkey", "rsa:2048", "-nodes",
        "-keyout", "httpbin.example.com.key",
        "-subj", "/CN=httpbin.example.com/O=httpbin organization",
        "-addext", "subjectAltName=DNS:httpbin.example.com");
    openssl(certs, "x509", "-req", "-sha256", "-days", "1", "-CA", "example.com.crt",
        "-CAkey", "example.com.key", "-set_serial", "0", "-in", "httpbin.example.com.csr",
        "-out", "httpbin.example.com.crt", "-copy_extensions", "copy");
    client = trusting(certs.resolve("example.com.crt"));

    bed = GatewayTaskBed.start();
    controlPlane = bed.controlPlane;
    gateway = bed.gateway;
    httpsPort = LocalGateway.freePort();
    httpPort = LocalGateway.freePort();
    apply("""
        apiVersion: v1
        kind: Secret
        metadata:
          name: httpbin-credential
          namespace: istio-system
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
        """.formatted(base64(certs.resolve("httpbin.example.com.crt")),
        base64(certs.resolve("httpbin.example.com.key"))));
    apply("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: mygateway
          namespace: istio-system
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port:
              number: %d
              name: https
              protocol: HTTPS
            tls:
              mode: SIMPLE
              credentialName: httpbin-credential
            hosts:
            - httpbin.example.com
          - port:
              number: %d
              name: http
              protocol: HTTP
            tls:
              httpsRedirect: true
            hosts:
            - httpbin.example.com
        """.formatted(httpsPort, httpPort));
    apply(bed.httpbinRoutes("istio-system/mygateway"));
    gateway.awaitListening(httpsPort);
    gateway.awaitListening(httpPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void httpsWithTheCredentialsCertificateReachesHttpbin() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          RawHttp.Response r = RawHttp.getTls(client, LocalGateway.ADDRESS,
              port(httpsPort), "httpbin.example.com", "/status/418");
          assertThat(r.status()).as(r.toString()).isEqualTo(418);
          assertThat(r.header("x-served-by")).isEqualTo("httpbin");
        });
  }

  @Test
  void aClientThatDoesNotTrustTheCredentialsRootFailsTheHandshake() throws Exception {
    httpsWithTheCredentialsCertificateReachesHttpbin();
    SSLContext trustsNothingHere = trusting(controlPlane.rootCertificateFile());
    assertThatThrownBy(() -> RawHttp.getTls(trustsNothingHere, LocalGateway.ADDRESS,
        port(httpsPort), "httpbin.example.com", "/status/200"))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void plaintextToAnHttpsRedirectServerIsMovedPermanentlyToHttps() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          RawHttp.Response r = gateway.get(httpPort, "httpbin.example.com", "/status/200");
          assertThat(r.status()).as(r.toString()).isEqualTo(301);
          assertThat(r.header("location")).isEqualTo("https://httpbin.example.com/status/200");
        });
  }

  private static int port(int serverPort) {
    return gateway.gateway.listeningPorts().getOrDefault(serverPort, serverPort);
  }

  private static void apply(String yaml) {
    bed.apply(yaml);
  }

  private static String base64(Path file) throws IOException {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
  }

  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
    roots.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      int i = 0;
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        roots.setCertificateEntry("root-" + i++, c);
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(roots);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", command, output).isZero();
  }
}
