package io.inboard.e2e.security;

import static io.inboard.e2e.security.Callers.REFUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's reachability matrix for mTLS, on a real control plane and CA: {Inboard gRPC client,
 * Inboard HTTP client, gRPC client outside the mesh, HTTP client outside the mesh} × the
 * policies below. Each cell is what the server saw: {@code mtls <caller's SPIFFE ID>},
 * {@code plain}, or {@code refused}.
 */
class ReachabilityMatrixTest {
  private static final String MTLS = "mtls " + SecurityBed.spiffe("productpage");
  private static final String PLAIN = "plain";
  private static final String ECHO = "echo";

  private static SecurityBed bed;
  private static MeshedPod pod;
  private static List<String> applied = List.of();

  @BeforeAll
  static void start() throws Exception {
    bed = new SecurityBed();
    pod = new MeshedPod(bed.mesh("echo-v1", ECHO, "echo", Duration.ofHours(1)), "127.0.0.31");
  }

  @AfterAll
  static void stop() throws Exception {
    if (pod != null) {
      pod.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  @AfterEach
  void removePolicies() {
    applied.forEach(bed.cp::delete);
    applied = List.of();
    bed.deregisterAll();
  }

  static Stream<Arguments> rows() {
    String grpcPortPlaceholder = "GRPC_PORT";
    String httpPortPlaceholder = "HTTP_PORT";
    return Stream.of(
        Arguments.of("no PeerAuthentication: auto-mTLS inside, plaintext from outside",
            List.of(), true, List.of(MTLS, MTLS, PLAIN, PLAIN)),
        Arguments.of("namespace STRICT: outside callers refused",
            List.of(pa("default", "{mtls: {mode: STRICT}}")), true,
            List.of(MTLS, MTLS, REFUSED, REFUSED)),
        Arguments.of("mesh-wide STRICT from the root namespace",
            List.of(pa("istio-system", "{mtls: {mode: STRICT}}")), true,
            List.of(MTLS, MTLS, REFUSED, REFUSED)),
        Arguments.of("namespace PERMISSIVE: both",
            List.of(pa("default", "{mtls: {mode: PERMISSIVE}}")), true,
            List.of(MTLS, MTLS, PLAIN, PLAIN)),
        Arguments.of("namespace DISABLE: plaintext for everyone",
            List.of(pa("default", "{mtls: {mode: DISABLE}}")), true,
            List.of(PLAIN, PLAIN, PLAIN, PLAIN)),
        Arguments.of("workload STRICT with the HTTP port DISABLE (portLevelMtls)",
            List.of(pa("default", "{selector: {matchLabels: {app: echo}}, mtls: {mode: STRICT},"
                + " portLevelMtls: {" + httpPortPlaceholder + ": {mode: DISABLE}}}")), true,
            List.of(MTLS, PLAIN, REFUSED, PLAIN)),
        Arguments.of("DestinationRule tls DISABLE: the mesh client goes plaintext",
            List.of(dr("DISABLE")), true, List.of(PLAIN, PLAIN, PLAIN, PLAIN)),
        Arguments.of("DestinationRule tls DISABLE against STRICT: refused, as in Istio",
            List.of(dr("DISABLE"), pa("default", "{mtls: {mode: STRICT}}")), true,
            List.of(REFUSED, REFUSED, REFUSED, REFUSED)),
        Arguments.of("DestinationRule ISTIO_MUTUAL to an endpoint not labelled as mesh",
            List.of(dr("ISTIO_MUTUAL")), false, List.of(MTLS, MTLS, PLAIN, PLAIN)),
        Arguments.of("no DestinationRule, endpoint not labelled as mesh: plaintext",
            List.of(), false, List.of(PLAIN, PLAIN, PLAIN, PLAIN)))
        .map(a -> {
          Object[] args = a.get();
          @SuppressWarnings("unchecked")
          List<String> yaml = ((List<String>) args[1]).stream()
              .map(y -> y.replace(grpcPortPlaceholder, "" + pod.grpcPort())
                  .replace(httpPortPlaceholder, "" + pod.httpPort())).toList();
          return Arguments.of(args[0], yaml, args[2], args[3]);
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachCallerGetsWhatThePolicySays(String name, List<String> yaml, boolean meshEndpoint,
      List<String> expected) {
    bed.register(ECHO, pod.grpcPort(), pod.ip, "echo", meshEndpoint);
    bed.register(ECHO, pod.httpPort(), pod.ip, "echo", meshEndpoint);
    yaml.forEach(bed::apply);
    applied = yaml;
    String want = String.join(" | ", expected);
    // fresh callers per row: connections made under the previous row keep its mode
    await(name).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> {
          try (Callers c = new Callers(bed.mesh("productpage-v1", "productpage", "productpage",
              Duration.ofHours(1)), ECHO, pod.ip, pod.grpcPort(), pod.httpPort())) {
            assertThat(c.row()).isEqualTo(want);
          }
        });
  }

  @Test
  void tighteningToStrictClosesPlaintextConnectionsAlreadyOpen() {
    bed.register(ECHO, pod.grpcPort(), pod.ip, "echo", true);
    bed.register(ECHO, pod.httpPort(), pod.ip, "echo", true);
    try (Callers c = new Callers(bed.mesh("productpage-v1", "productpage", "productpage",
        Duration.ofHours(1)), ECHO, pod.ip, pod.grpcPort(), pod.httpPort())) {
      // kept-alive plaintext connections, opened under the default PERMISSIVE
      assertThat(c.outsideGrpc()).isEqualTo(PLAIN);
      assertThat(c.outsideHttp()).isEqualTo(PLAIN);

      applied = List.of(pa("default", "{mtls: {mode: STRICT}}"));
      applied.forEach(bed::apply);

      // the same clients, on the connections they hold, are cut off: Envoy drains old chains
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(c.outsideGrpc()).isEqualTo(REFUSED);
        assertThat(c.outsideHttp()).isEqualTo(REFUSED);
      });
      assertThat(c.inboardGrpc()).isEqualTo(MTLS);
      assertThat(c.inboardHttp()).isEqualTo(MTLS);
    }
  }

  private static String pa(String namespace, String spec) {
    return """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: matrix, namespace: %s}
        spec: %s
        """.formatted(namespace, spec);
  }

  private static String dr(String mode) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: echo, namespace: default}
        spec:
          host: echo
          trafficPolicy: {tls: {mode: %s}}
        """.formatted(mode);
  }
}
