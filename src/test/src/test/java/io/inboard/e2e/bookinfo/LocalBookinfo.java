package io.inboard.e2e.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.examples.bookinfo.RunningWorkload;
import io.inboard.examples.bookinfo.Workload;
import io.inboard.examples.bookinfo.WorkloadOptions;
import io.inboard.examples.bookinfo.Workloads;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.cli.InboardCtl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local bookinfo mesh, as {@code examples/bookinfo/run.sh} starts it, in this JVM: a real
 * control plane on ephemeral ports and the six real workloads, each in its own {@code Mesh}, on
 * their own loopback addresses and one shared free service port. Istio's files are applied
 * with {@code inboardctl}, through the control plane's admin API, as a user would.
 */
final class LocalBookinfo implements AutoCloseable {

  static final Path NETWORKING = Path.of("../../examples/bookinfo/networking");
  static final Path CONFIG = Path.of("../../examples/bookinfo/config");
  static final Path SECURITY = Path.of("../../examples/bookinfo/security");
  static final Path TELEMETRY = Path.of("../../examples/bookinfo/telemetry");

  static final String DETAILS_UNAVAILABLE =
      "Sorry, product details are currently unavailable for this book.";
  static final String REVIEWS_UNAVAILABLE =
      "Sorry, product reviews are currently unavailable for this book.";
  static final String RATINGS_UNAVAILABLE = "Ratings service is currently unavailable";

  private static final Pattern REVIEWS_VERSION =
      Pattern.compile("data-reviews-version=\"(v[123])\"");
  private static final Pattern STARS_COLOR = Pattern.compile("data-stars-color=\"(\\w+)\"");
  private static final Map<Workload, String> ADDRESSES = new EnumMap<>(Map.of(
      Workload.PRODUCTPAGE_V1, "127.0.0.21",
      Workload.DETAILS_V1, "127.0.0.22",
      Workload.REVIEWS_V1, "127.0.0.23",
      Workload.REVIEWS_V2, "127.0.0.24",
      Workload.REVIEWS_V3, "127.0.0.25",
      Workload.RATINGS_V1, "127.0.0.26"));
  /** Where extra instances (a flaky ratings) go. */
  static final String SPARE_ADDRESS = "127.0.0.27";

  final ControlPlane controlPlane;
  final int port;
  private final Map<Workload, RunningWorkload> workloads = new EnumMap<>(Workload.class);
  private final List<RunningWorkload> extras = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private LocalBookinfo(ControlPlane controlPlane, int port) {
    this.controlPlane = controlPlane;
    this.port = port;
  }

  /**
   * Starts the mesh and waits until the page shows details and reviews.
   *
   * @param detailsDelayMillis how long details takes to answer (so that concurrent calls
   *     overlap, as the circuit-breaking task needs)
   */
  static LocalBookinfo start(int detailsDelayMillis) throws IOException {
    return start(detailsDelayMillis, UnaryOperator.identity());
  }

  /**
   * {@link #start(int)}, with the control plane's builder passed through {@code controlPlane}
   * first (a mesh config, a Prometheus URL).
   */
  static LocalBookinfo start(int detailsDelayMillis,
      UnaryOperator<ControlPlane.Builder> controlPlane) throws IOException {
    return start(detailsDelayMillis, controlPlane, freePort());
  }

  /**
   * {@link #start(int, UnaryOperator)} with every workload serving on {@code port}, e.g. 9080
   * as in Istio's bookinfo, for Istio's files that name the port.
   */
  static LocalBookinfo start(int detailsDelayMillis,
      UnaryOperator<ControlPlane.Builder> controlPlane, int port) throws IOException {
    if (!freeOnAll(port)) {
      throw new IOException("port " + port + " is not free on 127.0.0.21-27");
    }
    // the CA as run.sh starts it: a state directory holding the root and the credential key
    ControlPlane cp = controlPlane.apply(ControlPlane.builder().xdsPort(0).adminPort(0)
        .securePort(0).stateDirectory(Files.createTempDirectory("bookinfo-control-plane-"))
        .registrationGracePeriod(Duration.ofSeconds(1))).start();
    LocalBookinfo mesh = new LocalBookinfo(cp, port);
    try {
      assertThat(mesh.ctl("apply", "-f", CONFIG.resolve("destination-rule-all.yaml").toString())
          .code()).isZero();
      for (Workload w : Workload.values()) {
        WorkloadOptions o = mesh.options(w, ADDRESSES.get(w));
        if (w == Workload.DETAILS_V1) {
          o = o.responseDelay(detailsDelayMillis);
        }
        mesh.workloads.put(w, Workloads.start(w, o));
      }
      await("bookinfo page with details and reviews").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String page = mesh.page("").body();
            assertThat(page).as(mesh::diagnostics)
                .doesNotContain(DETAILS_UNAVAILABLE, REVIEWS_UNAVAILABLE);
          });
      return mesh;
    } catch (RuntimeException | Error e) {
      mesh.close();
      throw e;
    }
  }

  /** What the control plane knows of each workload, for failure messages. */
  String diagnostics() {
    StringBuilder b = new StringBuilder("control plane workloads:\n");
    controlPlane.workloads().forEach(w -> b.append("  ").append(w.nodeId())
        .append(" connected=").append(w.connected()).append(" endpoints=")
        .append(w.endpoints().size()).append(" xds=").append(w.xds()).append(" problems=")
        .append(w.problems()).append('\n'));
    b.append("services: ").append(controlPlane.services()).append('\n');
    return b.toString();
  }

  /**
   * How workload {@code w} starts at {@code ip}: with its service account's identity from the
   * control plane's CA, as run.sh gives it (a credential file, the root bundle file).
   */
  WorkloadOptions options(Workload w, String ip) {
    return WorkloadOptions.at(ip, port, 0, controlPlane.xdsAddress())
        .identity(new WorkloadOptions.Identity(controlPlane.secureAddress(),
            credential(w.serviceAccount()), controlPlane.rootCertificateFile()));
  }

  private Path credential(String serviceAccount) {
    Path f = controlPlane.rootCertificateFile().resolveSibling("credential-" + serviceAccount);
    try {
      if (!Files.exists(f)) {
        Files.writeString(f, controlPlane.issueLocalCredential("default", serviceAccount));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      }
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts one more workload, closed with the mesh or by {@link #stopExtras()}. */
  RunningWorkload startExtra(Workload w, WorkloadOptions o) {
    RunningWorkload r = Workloads.start(w, o);
    extras.add(r);
    return r;
  }

  void stopExtras() {
    extras.forEach(RunningWorkload::close);
    extras.clear();
  }

  /** The loopback address workload {@code w} serves on. */
  static String address(Workload w) {
    return ADDRESSES.get(w);
  }

  RunningWorkload workload(Workload w) {
    return workloads.get(w);
  }

  /** {@code GET /productpage} as {@code user} ({@code ""}: anonymous). */
  HttpResponse<String> page(String user) {
    return get("/productpage" + (user.isEmpty() ? "" : "?u=" + user));
  }

  HttpResponse<String> get(String path) {
    return get(path, Map.of());
  }

  /** {@code GET path} of productpage with {@code headers}, from outside the mesh. */
  HttpResponse<String> get(String path, Map<String, String> headers) {
    String url = "http://" + ADDRESSES.get(Workload.PRODUCTPAGE_V1) + ":" + port + path;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    try {
      return http.send(request.build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The page's {@code data-reviews-version}, or {@code "none"} when reviews are missing. */
  static String reviewsVersion(String page) {
    Matcher m = REVIEWS_VERSION.matcher(page);
    return m.find() ? m.group(1) : "none";
  }

  /** The page's {@code data-stars-color}, or {@code "none"}. */
  static String starsColor(String page) {
    Matcher m = STARS_COLOR.matcher(page);
    return m.find() ? m.group(1) : "none";
  }

  /** Runs {@code inboardctl ARGS --server <this control plane>}. */
  Ctl ctl(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server");
    all.add(controlPlane.adminUrl());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = InboardCtl.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Ctl(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** Applies one of Istio's bookinfo files (or a task file) from examples/bookinfo/networking. */
  void apply(String file) {
    Path path = NETWORKING.resolve(file);
    assertThat(Files.exists(path)).as(path.toString()).isTrue();
    Ctl r = ctl("apply", "-f", path.toString());
    assertThat(r.code()).as("inboardctl apply -f %s: %s%s", file, r.out(), r.err()).isZero();
  }

  /** Runs {@code inboardctl apply|delete -f} on a file of examples/bookinfo/security. */
  void security(String verb, String file) {
    Path path = SECURITY.resolve(file);
    assertThat(Files.exists(path)).as(path.toString()).isTrue();
    Ctl r = ctl(verb, "-f", path.toString());
    assertThat(r.code()).as("inboardctl %s -f %s: %s%s", verb, file, r.out(), r.err()).isZero();
  }

  /** Back to no VirtualService and Istio's DestinationRules, as after start. */
  void resetRouting() {
    for (String vs : List.of("productpage", "reviews", "ratings", "details")) {
      deleteVirtualService(vs);
    }
    assertThat(ctl("apply", "-f", CONFIG.resolve("destination-rule-all.yaml").toString())
        .code()).isZero();
  }

  private void deleteVirtualService(String name) {
    controlPlane.delete("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: %s
          namespace: default
        """.formatted(name));
  }

  @Override
  public void close() {
    stopExtras();
    workloads.values().forEach(RunningWorkload::close);
    controlPlane.close();
  }

  /** A port free on every address the mesh uses (all workloads serve on it, as in a cluster). */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int candidate = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      if (freeOnAll(candidate)) {
        return candidate;
      }
    }
    throw new IOException("no port in 20000..39999 is free on 127.0.0.21-27");
  }

  private static boolean freeOnAll(int port) {
    List<String> all = new ArrayList<>(ADDRESSES.values());
    all.add(SPARE_ADDRESS);
    for (String ip : all) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(ip, port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** What an inboardctl command printed, and its exit code. */
  record Ctl(int code, String out, String err) {}
}
