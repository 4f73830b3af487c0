package io.inboard.mesh.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.inboard.mesh.controlplane.ControlPlane;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link InboardCtl} run in-process against a real control plane's admin API. */
class InboardCtlTest {
  static final String REVIEWS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews}
      spec:
        hosts: [reviews]
        http:
        - route: [{destination: {host: reviews, subset: v1}}]
      """;

  /** Nothing listens on port 1: analyze works offline. */
  static final String NO_SERVER = "http://127.0.0.1:1";
  /** Istio's bookinfo networking samples, as the repository ships them. */
  static final Path BOOKINFO_NETWORKING = Path.of(System.getProperty("user.dir"))
      .resolveSibling("examples").resolve("bookinfo").resolve("networking");

  static ControlPlane cp;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(0).start();
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  @Test
  void applyThenGetShowsTheResource(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("reviews.yaml"), REVIEWS);

    Run apply = ctl("apply", "-f", dir.toString());
    Run get = ctl("get", "VirtualService", "reviews");

    // no DestinationRule defines subset v1, which apply reports as a warning
    assertThat(apply).isEqualTo(new Run(0, "applied VirtualService default/reviews\n"
        + "WARNING VirtualService default/reviews: spec.http[0].route[0].destination.subset:"
        + " subset 'v1' of host reviews.default.svc.cluster.local is not defined by any"
        + " DestinationRule; calls routed here fail until one defines it\n", ""));
    assertThat(get.exit()).isZero();
    assertThat(get.out()).contains("name: reviews", "subset: v1");
    assertThat(ctl("get", "VirtualService", "nothing").exit()).isEqualTo(InboardCtl.NOT_FOUND);
  }

  @Test
  void invalidApplyExitsNonZeroNamingResourceFieldValueAndExpectation() throws Exception {
    Run r = ctl("apply", "-f", "-", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: details}
        spec:
          hosts: [details]
          http:
          - route:
            - destination: {host: details}
              weight: heavy
        """);

    assertThat(r.exit()).isEqualTo(InboardCtl.INVALID);
    assertThat(r.err()).contains("error: VirtualService default/details:"
        + " spec.http[0].route[0].weight: 'heavy' (expected: an integer 0..100)",
        "nothing was applied");
    assertThat(cp.resources("VirtualService", "default", "details")).isEmpty();
  }

  @Test
  void deleteOfUnknownResourceExitsNotFound() throws Exception {
    Run r = ctl("delete", "-f", "-", REVIEWS.replace("reviews}", "unknown}"));

    assertThat(r.exit()).isEqualTo(InboardCtl.NOT_FOUND);
    assertThat(r.err()).contains("VirtualService default/unknown: not found");
  }

  @Test
  void configDumpShowsAConnectedWorkload() throws Exception {
    ManagedChannel ch = Grpc.newChannelBuilder(cp.xdsAddress(),
        InsecureChannelCredentials.create()).build();
    AtomicInteger responses = new AtomicInteger();
    StreamObserver<DiscoveryRequest> ads = AggregatedDiscoveryServiceGrpc.newStub(ch)
        .streamAggregatedResources(new StreamObserver<DiscoveryResponse>() {
          @Override
          public void onNext(DiscoveryResponse value) {
            responses.incrementAndGet();
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    try {
      ads.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId("ctl-dump~1"))
          .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster").build());
      await().atMost(Duration.ofSeconds(10)).until(() -> responses.get() > 0);

      Run dump = ctl("config-dump", "ctl-dump~1");

      assertThat(dump.exit()).isZero();
      assertThat(dump.out()).contains("\"nodeId\": \"ctl-dump~1\"",
          "\"typeUrl\": \"type.googleapis.com/envoy.config.cluster.v3.Cluster\"");
      assertThat(ctl("config-dump", "nobody").exit()).isEqualTo(InboardCtl.NOT_FOUND);
    } finally {
      ads.onCompleted();
      ch.shutdownNow();
    }
  }

  @Test
  void analyzeOfflineAcceptsIstiosBookinfoNetworkingFiles() throws Exception {
    Run r = ctl("analyze", "-f", BOOKINFO_NETWORKING.toString(), "--server", NO_SERVER);

    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isEqualTo(InboardCtl.OK);
    assertThat(r.out()).startsWith("Checked offline (no control plane at " + NO_SERVER + ")")
        .contains("valid VirtualService default/reviews", "valid DestinationRule default/ratings");
  }

  @Test
  void analyzeOfflineRefusesAnInvalidFileNamingResourceFieldValueAndExpectation(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("details.yaml");
    Files.writeString(file, """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: details}
        spec:
          hosts: [details]
          http:
          - route:
            - destination: {host: details}
              weight: heavy
        """);

    Run r = ctl("analyze", "-f", file.toString(), "--server", NO_SERVER);

    assertThat(r.exit()).isEqualTo(InboardCtl.INVALID);
    assertThat(r.out()).startsWith("Checked offline");
    assertThat(r.err()).contains("error: VirtualService default/details:"
        + " spec.http[0].route[0].weight: 'heavy' (expected: an integer 0..100)", "invalid");
  }

  @Test
  void analyzeOfUnreadableInputHasItsOwnExitCode(@TempDir Path dir) throws Exception {
    Path notYaml = dir.resolve("broken.yaml");
    Files.writeString(notYaml, "kind: [unclosed\n");

    Run missing = ctl("analyze", "-f", dir.resolve("missing.yaml").toString(),
        "--server", NO_SERVER);
    Run broken = ctl("analyze", "-f", notYaml.toString(), "--server", NO_SERVER);

    assertThat(missing.exit()).isEqualTo(InboardCtl.UNREADABLE)
        .isNotIn(InboardCtl.OK, InboardCtl.INVALID);
    assertThat(missing.err()).contains("missing.yaml (expected: an existing file or directory)");
    assertThat(broken.exit()).isEqualTo(InboardCtl.UNREADABLE);
    assertThat(broken.err()).contains("broken.yaml is not valid YAML");
  }

  @Test
  void analyzeAgainstARunningControlPlaneAlsoChecksReferences(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("ratings.yaml");
    Files.writeString(file, """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings-analyzed}
        spec:
          hosts: [ratings-analyzed]
          http:
          - route: [{destination: {host: ratings-analyzed, subset: v9}}]
        """);
    String missingSubset = "WARNING VirtualService default/ratings-analyzed:"
        + " spec.http[0].route[0].destination.subset: subset 'v9' of host"
        + " ratings-analyzed.default.svc.cluster.local is not defined by any DestinationRule";

    Run online = ctl("analyze", "-f", file.toString());
    Run offline = ctl("analyze", "-f", file.toString(), "--server", NO_SERVER);

    assertThat(online.exit()).isEqualTo(InboardCtl.OK);
    assertThat(online.out()).startsWith("Checked against the control plane at "
        + cp.adminUrl()).contains(missingSubset);
    assertThat(offline.exit()).isEqualTo(InboardCtl.OK);
    assertThat(offline.out()).startsWith("Checked offline")
        .contains("valid VirtualService default/ratings-analyzed").doesNotContain("WARNING");
    assertThat(cp.resources("VirtualService", "default", "ratings-analyzed")).isEmpty();
  }

  @Test
  void unreachableServerAndBadCommandLinesHaveTheirExitCodes() throws Exception {
    assertThat(ctl("get", "VirtualService", "--server", "http://127.0.0.1:1").exit())
        .isEqualTo(InboardCtl.UNAVAILABLE);
    assertThat(InboardCtl.run(new String[] {"frobnicate"}, System.in, sink(), sink()))
        .isEqualTo(InboardCtl.USAGE);
    assertThat(InboardCtl.run(new String[] {"apply"}, System.in, sink(), sink()))
        .isEqualTo(InboardCtl.USAGE);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    assertThat(InboardCtl.run(new String[] {"control-plane", "--kubernetes", "--config-dir",
        "."}, System.in, sink(), new PrintStream(both, true, StandardCharsets.UTF_8)))
        .isEqualTo(InboardCtl.USAGE);
    assertThat(both.toString(StandardCharsets.UTF_8)).contains("error: control-plane:"
        + " --config-dir and --kubernetes both given (expected: at most one config source)");
    ByteArrayOutputStream refresh = new ByteArrayOutputStream();
    assertThat(InboardCtl.run(new String[] {"control-plane", "--jwks-refresh-interval", "0"},
        System.in, sink(), new PrintStream(refresh, true, StandardCharsets.UTF_8)))
        .isEqualTo(InboardCtl.USAGE);
    assertThat(refresh.toString(StandardCharsets.UTF_8))
        .contains("--jwks-refresh-interval: '0' (expected: seconds > 0)");
  }

  @Test
  void controlPlaneCommandServesUntilInterrupted() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicInteger exit = new AtomicInteger(-1);
    String state = java.nio.file.Files.createTempDirectory("inboard-state").toString();
    Thread t = new Thread(() -> exit.set(InboardCtl.run(new String[] {"control-plane",
        "--xds-port", "0", "--admin-port", "0", "--state-dir", state}, System.in,
        new PrintStream(out, true, StandardCharsets.UTF_8), sink())));
    t.start();
    String admin = await().atMost(Duration.ofSeconds(10))
        .until(() -> adminLine(out), s -> !s.isEmpty());

    Run health = new Run(InboardCtl.run(new String[] {"get", "Gateway", "--server", admin},
        System.in, sink(), sink()), "", "");
    t.interrupt();
    t.join(10_000);

    assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("xds   127\\.0\\.0\\.1:\\d+")
        .containsPattern("ca    127\\.0\\.0\\.1:\\d+")
        .contains("root-cert " + java.nio.file.Path.of(state, "root-cert.pem"));
    assertThat(health.exit()).isZero();
    assertThat(exit.get()).isZero();
  }

  private static String adminLine(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("admin "))
        .map(l -> l.substring("admin ".length())).findFirst().orElse("");
  }

  private static PrintStream sink() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  /** Runs inboardctl against {@link #cp}; a last argument after {@code -f -} is stdin. */
  private static Run ctl(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    String stdin = "";
    int dash = argv.indexOf("-");
    if (dash >= 0 && dash == argv.size() - 2) {
      stdin = argv.remove(argv.size() - 1);
    }
    if (!argv.contains("--server")) {
      argv.add("--server");
      argv.add(cp.adminUrl());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = InboardCtl.run(argv.toArray(String[]::new),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
