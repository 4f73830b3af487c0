package io.inboard.mesh.controlplane.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.internal.model.GatewayHost;
import io.inboard.mesh.controlplane.internal.model.GatewayServer;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.ServerTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GatewayParserTest {
  static final Path BOOKINFO_GATEWAY =
      Path.of("/work/shared/istio-samples/bookinfo/networking/bookinfo-gateway.yaml");

  private final ResourceParser parser = new ResourceParser("default", "cluster.local");

  private ParsedResource.Gateway gateway(String servers) {
    ResourceParser.Result r = parser.parse("t", """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: shop}
        spec:
          selector: {istio: ingressgateway}
          servers:
        """ + servers.indent(2));
    assertThat(r.hasErrors()).as(r.diagnostics().toString()).isFalse();
    return (ParsedResource.Gateway) r.resources().get(0);
  }

  private List<String> errors(String spec) {
    ResourceParser.Result r = parser.parse("t", """
        apiVersion: networking.istio.io/v1beta1
        kind: Gateway
        metadata: {name: gw, namespace: shop}
        spec:
        """ + spec.indent(2));
    assertThat(r.resources()).isEmpty();
    return r.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR)
        .map(Diagnostic::toString).toList();
  }

  @Test
  void readsIstiosBookinfoGatewayAndBindsItsVirtualServiceToItOnly() throws IOException {
    ResourceParser.Result r = parser.parse("f", Files.readString(BOOKINFO_GATEWAY));

    assertThat(r.diagnostics()).isEmpty();
    ParsedResource.Gateway gw = (ParsedResource.Gateway) r.resources().get(0);
    assertThat(gw.selector()).isEqualTo(Map.of("istio", "ingressgateway"));
    assertThat(gw.servers()).containsExactly(new GatewayServer(0, 80, "http", "HTTP",
        List.of(new GatewayHost("*", "*")), java.util.Optional.empty(), true));
    ParsedResource.VirtualService vs = (ParsedResource.VirtualService) r.resources().get(1);
    assertThat(vs.gateways()).containsExactly("default/bookinfo-gateway");
    assertThat(vs.appliesToMesh()).isFalse();
  }

  @Test
  void resolvesHostNamespacesAsIstioDoes() {
    ParsedResource.Gateway gw = gateway("""
        - port: {number: 80, name: http, protocol: http}
          hosts: ["*/a.example.com", "./b.example.com", "other/*.example.com", "*", "C.Example.com"]
        """);

    assertThat(gw.servers().get(0).protocol()).isEqualTo("HTTP");
    assertThat(gw.servers().get(0).hosts()).containsExactly(
        new GatewayHost("*", "a.example.com"), new GatewayHost("shop", "b.example.com"),
        new GatewayHost("other", "*.example.com"), new GatewayHost("*", "*"),
        new GatewayHost("*", "c.example.com"));
    assertThat(gw.servers().get(0).hosts().get(1).admits("shop")).isTrue();
    assertThat(gw.servers().get(0).hosts().get(1).admits("default")).isFalse();
  }

  @Test
  void readsSimpleTlsFromFilesAndMutualFromASecretWithVersionsAndCiphers() {
    ParsedResource.Gateway gw = gateway("""
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [a.example.com]
          tls: {mode: SIMPLE, serverCertificate: /etc/certs/a.pem, privateKey: /etc/certs/a.key,
                minProtocolVersion: TLSV1_2, cipherSuites: [ECDHE-RSA-AES128-GCM-SHA256]}
        - port: {number: 443, name: mtls, protocol: HTTPS}
          hosts: [b.example.com]
          tls: {mode: MUTUAL, credentialName: b-cred, subjectAltNames: [spiffe://client]}
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [a.example.com]
          tls: {httpsRedirect: true}
        """);

    assertThat(gw.servers().get(0).tls().orElseThrow()).isEqualTo(new ServerTls(false,
        ServerTls.Mode.SIMPLE, "", "/etc/certs/a.pem", "/etc/certs/a.key", "", List.of(),
        "TLSV1_2", "", List.of("ECDHE-RSA-AES128-GCM-SHA256")));
    assertThat(gw.servers().get(1).tls().orElseThrow()).isEqualTo(new ServerTls(false,
        ServerTls.Mode.MUTUAL, "b-cred", "", "", "", List.of("spiffe://client"), "", "",
        List.of()));
    assertThat(gw.servers().get(2).httpsRedirect()).isTrue();
    assertThat(gw.servers().get(2).terminatesTls()).isFalse();
    assertThat(gw.servers()).allMatch(GatewayServer::served);
  }

  @Test
  void keepsServersItCannotServeWithAWarningEach() {
    ParsedResource.Gateway gw = gateway("""
        - port: {number: 443, name: pass, protocol: HTTPS}
          hosts: [a.example.com]
          tls: {mode: PASSTHROUGH}
        - port: {number: 3306, name: mysql, protocol: MYSQL}
          hosts: ["*"]
        - port: {number: 80, name: http, protocol: HTTP, targetPort: 8080}
          hosts: ["*"]
          bind: 127.0.0.1
        """);

    assertThat(gw.servers()).extracting(GatewayServer::served).containsExactly(false, false,
        true);
    assertThat(gw.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "WARNING Gateway shop/gw: spec.servers[0].tls.mode: not served: the gateway terminates"
            + " TLS with modes SIMPLE and MUTUAL only; PASSTHROUGH is not served, so this server"
            + " gets no listener",
        "WARNING Gateway shop/gw: spec.servers[1].port.protocol: not served: the gateway serves"
            + " HTTP routes only (HTTP, HTTP2, GRPC, HTTPS); MYSQL servers get no listener",
        "WARNING Gateway shop/gw: spec.servers[2].bind: not honoured: the gateway listens on"
            + " every address (0.0.0.0)",
        "WARNING Gateway shop/gw: spec.servers[2].port.targetPort: not honoured: Istio gives it"
            + " no meaning on Gateways either");
  }

  @Test
  void anEmptySelectorSelectsEveryGatewayWorkload() {
    ResourceParser.Result r = parser.parse("t", """
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata: {name: any}
        spec:
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
        """);

    ParsedResource.Gateway gw = (ParsedResource.Gateway) r.resources().get(0);
    assertThat(gw.selects(Map.of())).isTrue();
    assertThat(gw.selects(Map.of("app", "x"))).isTrue();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("servers: []", "Gateway shop/gw: spec.servers: a list (expected: at least"
            + " one server)"),
        Arguments.of("""
            servers: [{port: {number: 0, name: http, protocol: HTTP}, hosts: ["*"]}]""",
            "Gateway shop/gw: spec.servers[0].port.number: 0 (expected: an integer 1..65535)"),
        Arguments.of("""
            servers: [{port: {number: 70000, name: http, protocol: HTTP}, hosts: ["*"]}]""",
            "Gateway shop/gw: spec.servers[0].port.number: 70000 (expected: an integer"
                + " 1..65535)"),
        Arguments.of("""
            servers: [{port: {name: http, protocol: HTTP}, hosts: ["*"]}]""",
            "Gateway shop/gw: spec.servers[0].port.number: null (expected: an integer"
                + " 1..65535)"),
        Arguments.of("""
            servers: [{port: {number: 80, protocol: HTTP}, hosts: ["*"]}]""",
            "Gateway shop/gw: spec.servers[0].port.name: null (expected: a port name, unique"
                + " within the Gateway)"),
        Arguments.of("""
            servers: [{port: {number: 80, name: http, protocol: HTTPX}, hosts: ["*"]}]""",
            "Gateway shop/gw: spec.servers[0].port.protocol: 'HTTPX' (expected: one of HTTP,"
                + " HTTPS, HTTP2, GRPC, GRPC-WEB, TLS, TCP, MONGO, REDIS, MYSQL)"),
        Arguments.of("""
            servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: []}]""",
            "Gateway shop/gw: spec.servers[0].hosts: a list (expected: at least one host,"
                + " [namespace/]dnsName)"),
        Arguments.of("""
            servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a.*.com]}]""",
            "Gateway shop/gw: spec.servers[0].hosts[0]: 'a.*.com' (expected: [namespace/]dnsName"
                + " whose dnsName is *, a DNS name, or a DNS name whose left-most label is *"
                + " (*.example.com))"),
        Arguments.of("""
            servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [Bad_NS/a.com]}]""",
            "Gateway shop/gw: spec.servers[0].hosts[0]: 'Bad_NS/a.com' (expected:"
                + " [namespace/]dnsName whose namespace is *, . or a namespace name)"),
        Arguments.of("""
            servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["*"]}]""",
            "Gateway shop/gw: spec.servers[0].tls: null (expected: TLS settings, which protocol"
                + " HTTPS requires)"),
        Arguments.of("""
            servers:
            - port: {number: 443, name: https, protocol: HTTPS}
              hosts: ["*"]
              tls: {mode: SIMPLE, privateKey: /k}""",
            "Gateway shop/gw: spec.servers[0].tls.serverCertificate: null (expected: a"
                + " certificate file path, or credentialName, for mode SIMPLE)"),
        Arguments.of("""
            servers:
            - port: {number: 443, name: https, protocol: HTTPS}
              hosts: ["*"]
              tls: {mode: SIMPLE, serverCertificate: /c}""",
            "Gateway shop/gw: spec.servers[0].tls.privateKey: null (expected: a private key"
                + " file path, or credentialName, for mode SIMPLE)"),
        Arguments.of("""
            servers:
            - port: {number: 443, name: https, protocol: HTTPS}
              hosts: ["*"]
              tls: {mode: MUTUAL, serverCertificate: /c, privateKey: /k}""",
            "Gateway shop/gw: spec.servers[0].tls.caCertificates: null (expected: a CA file"
                + " path that client certificates chain to, or credentialName, for mode"
                + " MUTUAL)"),
        Arguments.of("""
            servers:
            - port: {number: 443, name: https, protocol: HTTPS}
              hosts: ["*"]
              tls: {mode: SIMPLE, credentialName: c, serverCertificate: /c, privateKey: /k}""",
            "Gateway shop/gw: spec.servers[0].tls.credentialName: 'c' (expected: either"
                + " credentialName or serverCertificate and privateKey, not both)"),
        Arguments.of("""
            servers:
            - port: {number: 443, name: https, protocol: HTTPS}
              hosts: ["*"]
              tls: {mode: STRICT}""",
            "Gateway shop/gw: spec.servers[0].tls.mode: 'STRICT' (expected: one of SIMPLE,"
                + " MUTUAL, PASSTHROUGH, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL)"),
        Arguments.of("""
            servers:
            - port: {number: 443, name: https, protocol: HTTPS}
              hosts: ["*"]
              tls: {mode: ISTIO_MUTUAL, credentialName: c}""",
            "Gateway shop/gw: spec.servers[0].tls.mode: 'ISTIO_MUTUAL' (expected: no"
                + " credentialName, serverCertificate, privateKey or caCertificates with mode"
                + " ISTIO_MUTUAL, which uses the mesh certificate)"),
        Arguments.of("""
            servers:
            - port: {number: 80, name: http, protocol: HTTP}
              hosts: ["*"]
              tls: {mode: SIMPLE, credentialName: c}""",
            "Gateway shop/gw: spec.servers[0].tls.mode: 'SIMPLE' (expected: only httpsRedirect"
                + " on a plaintext HTTP server (use protocol HTTPS to terminate TLS))"),
        Arguments.of("""
            servers:
            - port: {number: 80, name: http, protocol: HTTP}
              hosts: ["*"]
              tls: {httpsRedirect: maybe}""",
            "Gateway shop/gw: spec.servers[0].tls.httpsRedirect: 'maybe' (expected: true or"
                + " false)"),
        Arguments.of("""
            servers:
            - port: {number: 443, name: https, protocol: HTTPS}
              hosts: ["*"]
              tls: {mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV9}""",
            "Gateway shop/gw: spec.servers[0].tls.minProtocolVersion: 'TLSV9' (expected: one of"
                + " TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3)"),
        Arguments.of("""
            servers:
            - port: {number: 80, name: http, protocol: HTTP}
              hosts: [a.com]
            - port: {number: 81, name: http, protocol: HTTP}
              hosts: [b.com]""",
            "Gateway shop/gw: spec.servers[1].port.name: 'http' (expected: a port name no other"
                + " server of this Gateway uses (spec.servers[0].port.name has it))"),
        Arguments.of("""
            servers:
            - port: {number: 80, name: http, protocol: HTTP}
              hosts: [a.com]
            - port: {number: 80, name: https, protocol: HTTPS}
              hosts: [b.com]
              tls: {mode: SIMPLE, credentialName: c}""",
            "Gateway shop/gw: spec.servers[1].port.protocol: 'HTTPS' (expected: a protocol that"
                + " can share port 80 with spec.servers[0] (HTTP): HTTP, HTTP2, GRPC and"
                + " GRPC-WEB together, HTTPS and TLS together, or the same protocol)"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesAnInvalidGatewayNamingFieldValueAndExpectation(String spec, String error) {
    assertThat(errors(spec)).containsExactly(error);
  }

  @Test
  void refusesAGatewayNameThatIsNotADnsLabel() {
    ResourceParser.Result r = parser.parse("t", """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: my.gateway}
        spec:
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
        """);

    assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "Gateway default/my.gateway: metadata.name: 'my.gateway' (expected: a DNS-1123 label:"
            + " lower-case letters, digits and '-', no dots, as Istio requires of Gateway"
            + " names)");
  }

  @Test
  void resolvesVirtualServiceGatewayNamesAndKeepsMeshWhenNamed() {
    ResourceParser.Result r = parser.parse("t", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: shop}
        spec:
          hosts: [a.example.com]
          gateways: [gw, ./gw2, istio-system/ingress, legacy.edge.svc.cluster.local, mesh]
          http:
          - match: [{uri: {prefix: /a}, gateways: [gw]}, {uri: {prefix: /b}}]
            route: [{destination: {host: a}}]
        """);

    assertThat(r.diagnostics()).isEmpty();
    ParsedResource.VirtualService vs = (ParsedResource.VirtualService) r.resources().get(0);
    assertThat(vs.gateways()).containsExactly("shop/gw", "shop/gw2", "istio-system/ingress",
        "edge/legacy");
    assertThat(vs.appliesToMesh()).isTrue();
    assertThat(vs.http().get(0).matches().get(0).gateways()).isEqualTo(Set.of("shop/gw"));
    assertThat(vs.http().get(0).matches().get(1).gateways()).isEmpty();
  }

  @Test
  void refusesAMalformedGatewayReference() {
    ResourceParser.Result r = parser.parse("t", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs}
        spec:
          hosts: [a.example.com]
          gateways: [a/b/c]
          http: [{route: [{destination: {host: a}}]}]
        """);

    assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "VirtualService default/vs: spec.gateways[0]: 'a/b/c' (expected: mesh, a Gateway name,"
            + " or namespace/name)");
  }
}
