package io.inboard.mesh.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.discovery.StaticDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code Mesh} built with no arguments in a pod Inboard's injector mutated: everything comes
 * from the injected environment, and what the application sets itself wins.
 */
class InjectedEnvironmentMeshTest {
  @TempDir
  Path dir;

  private Map<String, String> injectedEnv() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels"),
        "app=\"reviews\"\npod-template-hash=\"5b4d7f9c8\"\n"
            + "security.istio.io/tlsMode=\"istio\"\nversion=\"v2\"\n");
    Path token = Files.writeString(dir.resolve("istio-token"), "token");
    Path roots = Files.writeString(dir.resolve("root-cert.pem"), "roots");
    Map<String, String> env = new HashMap<>();
    env.put("INBOARD_CONTROL_PLANE", "inboard-control-plane.inboard-system.svc:15010");
    env.put("CA_ADDR", "inboard-control-plane.inboard-system.svc:15012");
    env.put("POD_NAME", "reviews-v2-5b4d7f9c8-x7k2p");
    env.put("POD_NAMESPACE", "bookinfo");
    env.put("SERVICE_ACCOUNT", "bookinfo-reviews");
    env.put("INSTANCE_IP", "10.1.2.3");
    env.put("INBOARD_WORKLOAD_NAME", "reviews-v2");
    env.put("CLUSTER_ID", "Kubernetes");
    env.put("HOSTNAME", "reviews-v2-5b4d7f9c8-x7k2p");
    env.put("INBOARD_POD_LABELS_FILE", labels.toString());
    env.put("INBOARD_IDENTITY_TOKEN_FILE", token.toString());
    env.put("INBOARD_CA_ROOT_CERT", roots.toString());
    return env;
  }

  @Test
  void noArguments_inAnInjectedPod_joinsTheNamedControlPlaneWithIdentityNameAndLabels()
      throws IOException {
    Map<String, String> env = injectedEnv();
    try (Mesh mesh = Mesh.builder().environment(env::get).adminPort(-1).build()) {
      Mesh.Settings s = mesh.settings();
      assertThat(s.discoveryMode()).isEqualTo(DiscoveryMode.XDS);
      assertThat(s.controlPlanes())
          .containsExactly("inboard-control-plane.inboard-system.svc:15010");
      assertThat(s.workloadName()).isEqualTo("reviews-v2");
      assertThat(s.namespace()).isEqualTo("bookinfo");
      assertThat(s.serviceAccount()).isEqualTo("bookinfo-reviews");
      assertThat(s.instanceIps()).containsExactly("10.1.2.3");
      assertThat(s.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "reviews",
          "version", "v2", "pod-template-hash", "5b4d7f9c8",
          "security.istio.io/tlsMode", "istio"));
      IdentitySettings id = s.identity().orElseThrow();
      assertThat(id.caAddress()).isEqualTo("inboard-control-plane.inboard-system.svc:15012");
      assertThat(id.tokenFile()).isEqualTo(Path.of(env.get("INBOARD_IDENTITY_TOKEN_FILE")));
      assertThat(id.rootCertFile()).isEqualTo(Path.of(env.get("INBOARD_CA_ROOT_CERT")));
    }
  }

  @Test
  void explicitSettings_winOverTheInjectedEnvironment() throws IOException {
    Map<String, String> env = injectedEnv();
    try (Mesh mesh = Mesh.builder().environment(env::get).adminPort(-1)
        .controlPlane("127.0.0.1:25010").workloadName("mine").namespace("ns1")
        .serviceAccount("sa1").instanceIps("127.0.0.9").label("version", "v9").mtls(false)
        .build()) {
      Mesh.Settings s = mesh.settings();
      assertThat(s.controlPlanes()).containsExactly("127.0.0.1:25010");
      assertThat(s.workloadName()).isEqualTo("mine");
      assertThat(s.namespace()).isEqualTo("ns1");
      assertThat(s.serviceAccount()).isEqualTo("sa1");
      assertThat(s.instanceIps()).containsExactly("127.0.0.9");
      assertThat(s.labels()).containsEntry("version", "v9").containsEntry("app", "reviews");
      assertThat(s.identity()).isEmpty();
    }
  }

  @Test
  void anExplicitDiscovery_winsOverTheInjectedControlPlane() throws IOException {
    Map<String, String> env = injectedEnv();
    try (Mesh mesh = Mesh.builder().environment(env::get).adminPort(-1).mtls(false)
        .discovery(new StaticDiscovery()).build()) {
      assertThat(mesh.settings().discoveryMode()).isEqualTo(DiscoveryMode.CUSTOM);
      assertThat(mesh.settings().controlPlanes()).isEmpty();
    }
  }

  @Test
  void xdsChosenWithoutAddresses_takesTheInjectedControlPlanes() {
    Map<String, String> env = Map.of("INBOARD_CONTROL_PLANE", "127.0.0.1:25010,127.0.0.1:25011");
    try (Mesh mesh = Mesh.builder().environment(env::get).adminPort(-1)
        .discovery(DiscoveryMode.XDS).build()) {
      assertThat(mesh.settings().controlPlanes())
          .containsExactly("127.0.0.1:25010", "127.0.0.1:25011");
    }
  }

  @Test
  void labelsFile_winsOverTheLabelsVariable() throws IOException {
    Map<String, String> env = new HashMap<>(Map.of("INBOARD_CONTROL_PLANE", "127.0.0.1:25010",
        "INBOARD_LABELS", "app=ratings,version=v1"));
    assertThat(labelsOf(env)).containsExactlyInAnyOrderEntriesOf(
        Map.of("app", "ratings", "version", "v1"));

    env.put("INBOARD_POD_LABELS_FILE", Files.writeString(dir.resolve("labels"),
        "app=\"details\"\nquoted=\"a \\\"b\\\" \\\\c\"\n").toString());
    assertThat(labelsOf(env)).containsExactlyInAnyOrderEntriesOf(
        Map.of("app", "details", "quoted", "a \"b\" \\c"));
  }

  @Test
  void withoutWorkloadName_theHostNameNamesTheWorkload() {
    Map<String, String> env = Map.of("INBOARD_CONTROL_PLANE", "127.0.0.1:25010",
        "HOSTNAME", "ratings-v1-abc");
    try (Mesh mesh = Mesh.builder().environment(env::get).adminPort(-1).build()) {
      assertThat(mesh.settings().workloadName()).isEqualTo("ratings-v1-abc");
    }
  }

  @Test
  void aMalformedControlPlaneVariable_failsNamingTheVariable() {
    Map<String, String> env = Map.of("INBOARD_CONTROL_PLANE", "http://cp:15010");
    assertThatThrownBy(() -> Mesh.builder().environment(env::get).adminPort(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INBOARD_CONTROL_PLANE")
        .hasMessageContaining("'http://cp:15010'")
        .hasMessageContaining("expected: host:port");
  }

  @Test
  void aMalformedLabelsFile_failsNamingTheFileAndLine() throws IOException {
    Path file = Files.writeString(dir.resolve("labels"), "app=\"x\"\nversion=v1\n");
    Map<String, String> env = Map.of("INBOARD_CONTROL_PLANE", "127.0.0.1:25010",
        "INBOARD_POD_LABELS_FILE", file.toString());
    assertThatThrownBy(() -> Mesh.builder().environment(env::get).adminPort(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file + "' line 2: 'version=v1'")
        .hasMessageContaining("expected: key=\"value\"");
  }

  @Test
  void aMissingLabelsFile_failsNamingTheVariable() {
    Map<String, String> env = Map.of("INBOARD_CONTROL_PLANE", "127.0.0.1:25010",
        "INBOARD_POD_LABELS_FILE", dir.resolve("absent").toString());
    assertThatThrownBy(() -> Mesh.builder().environment(env::get).adminPort(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from env INBOARD_POD_LABELS_FILE");
  }

  private static Map<String, String> labelsOf(Map<String, String> env) {
    try (Mesh mesh = Mesh.builder().environment(env::get).adminPort(-1).mtls(false).build()) {
      return mesh.settings().labels();
    }
  }
}
