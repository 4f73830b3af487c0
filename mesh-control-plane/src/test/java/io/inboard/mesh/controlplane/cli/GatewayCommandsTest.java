package io.inboard.mesh.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gateways through inboardctl and the apply pipeline: get and analyze work for them, an invalid
 * one changes nothing, and references that do not resolve (a VirtualService naming an unknown
 * Gateway, a Gateway naming a missing Secret) are warned about until they do.
 */
class GatewayCommandsTest {
  static final String GATEWAY = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: httpbin-gateway}
      spec:
        selector: {istio: ingressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [httpbin.example.com]
      """;
  static final String VIRTUAL_SERVICE = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: httpbin}
      spec:
        hosts: [httpbin.example.com]
        gateways: [httpbin-gateway]
        http: [{route: [{destination: {host: httpbin}}]}]
      """;

  ControlPlane cp;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(0).start();
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  private Run ctl(String stdin, String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.add("--server");
    argv.add(cp.adminUrl());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = InboardCtl.run(argv.toArray(String[]::new),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void getShowsAnAppliedGatewayByKindInAnyCase() {
    assertThat(ctl(GATEWAY, "apply", "-f", "-").exit()).isEqualTo(InboardCtl.OK);

    Run get = ctl("", "get", "gateway", "httpbin-gateway", "-o", "yaml");

    assertThat(get.exit()).isEqualTo(InboardCtl.OK);
    assertThat(get.out()).contains("kind: Gateway", "name: httpbin-gateway",
        "httpbin.example.com");
  }

  @Test
  void analyzeRefusesAnInvalidGatewayAndApplyChangesNothing() {
    String bad = GATEWAY.replace("number: 80", "number: 0");

    Run analyze = ctl(bad, "analyze", "-f", "-");
    Run apply = ctl(bad, "apply", "-f", "-");

    assertThat(analyze.exit()).isEqualTo(InboardCtl.INVALID);
    assertThat(analyze.err() + analyze.out()).contains("Gateway default/httpbin-gateway:"
        + " spec.servers[0].port.number: 0 (expected: an integer 1..65535)");
    assertThat(apply.exit()).isEqualTo(InboardCtl.INVALID);
    assertThat(cp.resources("Gateway", "", "")).isEmpty();
  }

  @Test
  void aVirtualServiceNamingAnUnknownGatewayIsWarnedAboutUntilItIsApplied() {
    String notFound = "WARNING VirtualService default/httpbin: spec.gateways[0]: Referenced"
        + " gateway not found: \"default/httpbin-gateway\"; no gateway routes by this"
        + " VirtualService until a Gateway of that name is applied";

    assertThat(cp.apply(VIRTUAL_SERVICE).warnings()).extracting(Diagnostic::toString)
        .containsExactly(notFound);
    assertThat(cp.diagnostics().warnings()).extracting(Diagnostic::toString)
        .containsExactly(notFound);

    assertThat(cp.apply(GATEWAY).all()).isEmpty();
    assertThat(cp.diagnostics().all()).isEmpty();
  }

  @Test
  void aVirtualServiceWhoseHostsNoServerOfItsGatewayServesIsWarnedAbout() {
    cp.apply(GATEWAY);

    assertThat(cp.apply(VIRTUAL_SERVICE.replace("hosts: [httpbin.example.com]",
        "hosts: [other.example.com]")).warnings()).extracting(Diagnostic::toString)
        .containsExactly("WARNING VirtualService default/httpbin: spec.gateways[0]: none of"
            + " the hosts [other.example.com] is served by a server of Gateway"
            + " default/httpbin-gateway for namespace default (its servers' hosts:"
            + " [*/httpbin.example.com]); this gateway routes nothing by this"
            + " VirtualService");
  }

  @Test
  void aGatewayNamingAMissingOrIncompleteSecretIsWarnedAboutUntilItIsComplete() {
    String tls = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: secure}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [httpbin.example.com]
            tls: {mode: MUTUAL, credentialName: httpbin-credential}
        """;
    String secret = """
        apiVersion: v1
        kind: Secret
        metadata: {name: httpbin-credential, namespace: istio-system}
        stringData: {tls.crt: CERT, tls.key: KEY}
        """;

    assertThat(cp.apply(tls).warnings()).extracting(Diagnostic::toString).containsExactly(
        "WARNING Gateway default/secure: spec.servers[0].tls.credentialName: Secret"
            + " httpbin-credential not found in any namespace (expected: in the gateway"
            + " workload's namespace, with keys tls.crt and tls.key, or cert and key, and ca.crt"
            + " or cacert for mode MUTUAL); this server gets no listener chain until the Secret"
            + " is there");
    cp.apply(secret);
    assertThat(cp.diagnostics().warnings()).extracting(Diagnostic::toString).containsExactly(
        "WARNING Gateway default/secure: spec.servers[0].tls.credentialName: no CA certificate"
            + " in Secret istio-system/httpbin-credential or"
            + " istio-system/httpbin-credential-cacert (expected: key ca.crt or cacert, for"
            + " server TLS mode MUTUAL); this server gets no listener chain until the Secret is"
            + " there");

    cp.apply(secret.replace("tls.key: KEY}", "tls.key: KEY, ca.crt: CA}"));
    assertThat(cp.diagnostics().all()).isEmpty();
  }

  @Test
  void aServerAnotherGatewayOfTheSameWorkloadsAlreadyServesIsWarnedAbout() {
    cp.apply(GATEWAY);
    String tls = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: secure}
        spec:
          selector: {istio: ingressgateway, app: istio-ingressgateway}
          servers:
          - port: {number: 80, name: https, protocol: HTTPS}
            hosts: [httpbin.example.com]
            tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}
        """;

    assertThat(cp.apply(tls).warnings()).extracting(Diagnostic::toString).containsExactly(
        "WARNING Gateway default/secure: spec.servers[0]: port 80 of a workload both select is"
            + " already served by Gateway default/httpbin-gateway (spec.servers[0], HTTP),"
            + " which comes first by namespace and name; this server is left out there"
            + " (plaintext and TLS servers cannot share a port)");
    // a Gateway for other workloads does not conflict
    assertThat(cp.apply(tls.replace("app: istio-ingressgateway", "istio: internal")
        .replace("istio: ingressgateway, ", "")).warnings()).isEmpty();
  }
}
