package io.inboard.e2e.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.e2e.security.MeshedJetty;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.MeshBuilder;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.MeshGrpc;
import io.inboard.mesh.http.MeshHttpClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One request through three meshed workloads, HTTP (productpage, Jetty) → gRPC (reviews) →
 * HTTP (ratings), traced at 100 % into a Zipkin collector on loopback: one trace whose spans
 * are parented hop by hop (SERVER ← attempt CLIENT ← call INTERNAL ← SERVER ...), the gRPC
 * hop retried once after an {@code UNAVAILABLE} with both attempts under one call span, and
 * the {@code end-user} header carried by the mesh alone from the first hop to the third.
 */
class ThreeHopTraceTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ZipkinCollector zipkin = ZipkinCollector.start();

  @RegisterExtension
  static final ControlPlaneExtension cp = ControlPlaneExtension.builder()
      .configure(b -> b.meshConfig(zipkin.meshConfig())).build();

  private final List<AutoCloseable> open = new java.util.ArrayList<>();

  @AfterEach
  void close() throws Exception {
    java.util.Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @AfterAll
  static void stopZipkin() {
    zipkin.close();
  }

  Mesh mesh(String app, String ip) {
    Consumer<MeshBuilder> b = x -> x.instanceIps(ip).adminPort(-1).label("app", app)
        .label("version", "v1").propagateHeaders("end-user");
    return cp.mesh(app + "-v1", b);
  }

  void register(String service, String ip, int port) {
    cp.controlPlane().register(new ServiceEndpoint(cp.host(service), port, ip,
        Map.of("app", service, "version", "v1")));
  }

  @Test
  void oneRequest_oneTrace_parentedHopByHop_withTheRetriedGrpcHop_andEndUserCarriedByTheMesh()
      throws Exception {
    // third hop: ratings answers HTTP with the end-user header it saw
    ScriptedPod ratings = new ScriptedPod(mesh("ratings", "127.0.0.4"), "127.0.0.4");
    open.add(ratings);
    register("ratings", ratings.ip, ratings.httpPort());

    // second hop: reviews serves gRPC and calls ratings over HTTP; fails when told to
    Mesh reviewsMesh = mesh("reviews", "127.0.0.3");
    MeshHttpClient toRatings = MeshHttpClient.of(reviewsMesh);
    AtomicInteger reviewsFailures = new AtomicInteger();
    AtomicInteger reviewsCalls = new AtomicInteger();
    Server reviews = MeshGrpc.serverBuilder(reviewsMesh, new InetSocketAddress("127.0.0.3", 0))
        .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
            reviewsCalls.incrementAndGet();
            if (reviewsFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              out.onError(Status.UNAVAILABLE.withDescription("first try fails")
                  .asRuntimeException());
              return;
            }
            try {
              HttpResponse<String> r = toRatings.send(HttpRequest.newBuilder(URI.create(
                  "http://ratings:" + ratings.httpPort() + "/ratings/0"))
                  .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
              out.onNext(SimpleResponse.newBuilder().setResponseMessage("reviews <- "
                  + r.statusCode() + " " + r.body()).build());
              out.onCompleted();
            } catch (Exception e) {
              out.onError(Status.INTERNAL.withCause(e).asRuntimeException());
            }
          }
        }).build().start();
    open.add(() -> {
      reviews.shutdownNow();
    });
    register("reviews", "127.0.0.3", reviews.getPort());

    // first hop: productpage serves HTTP and calls reviews over gRPC
    Mesh productpageMesh = mesh("productpage", "127.0.0.2");
    ManagedChannel toReviews = MeshChannels.forService(productpageMesh,
        "reviews:" + reviews.getPort()).build();
    open.add(toReviews::shutdownNow);
    org.eclipse.jetty.server.Server productpage = MeshedJetty.start(productpageMesh,
        "127.0.0.2", new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest req, HttpServletResponse resp)
              throws IOException {
            // no header copied here: the mesh forwards end-user and the trace context
            String answer = SimpleServiceGrpc.newBlockingStub(toReviews)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
            resp.setContentType("text/plain");
            resp.getWriter().write("productpage <- " + answer);
          }
        });
    open.add(productpage::stop);
    int pagePort = MeshedJetty.port(productpage);

    cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route: [{destination: {host: reviews}}]
            retries: {attempts: 2, retryOn: unavailable}
        """);
    cp.apply("""
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: mesh-default, namespace: istio-system}
        spec:
          tracing:
          - providers: [{name: zipkin}]
            randomSamplingPercentage: 100
            customTags:
              end_user: {header: {name: end-user, defaultValue: anonymous}}
        """);
    for (Mesh m : List.of(ratings.mesh, reviewsMesh, productpageMesh)) {
      await().atMost(WAIT).until(InternalMesh.telemetry(m)::policy,
          p -> p.server().tracing().samplingPercentage() == 100
              && p.client().tracing().samplingPercentage() == 100);
    }

    HttpClient outside = HttpClient.newHttpClient();
    HttpRequest.Builder page = HttpRequest.newBuilder(URI.create(
        "http://127.0.0.2:" + pagePort + "/productpage")).timeout(Duration.ofSeconds(20));
    await("the chain answers").atMost(WAIT).until(() -> outside.send(page.build(),
        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

    reviewsFailures.set(1);
    int reviewsBefore = reviewsCalls.get();
    HttpResponse<String> r = outside.send(page.copy().header("end-user", "jason")
        .header("x-request-id", "rid-three-hops").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).as("the third handler saw end-user")
        .isEqualTo("productpage <- reviews <- 200 " + ScriptedPod.ANSWER + " end-user=jason");
    assertThat(reviewsCalls.get() - reviewsBefore).as("one failed try, one retry").isEqualTo(2);

    // productpage: SERVER, call, 2 attempts; reviews: 2 SERVER, call, attempt; ratings: SERVER
    String traceId = await().atMost(WAIT).until(() -> zipkin.tagged("guid:x-request-id",
        "rid-three-hops").stream().filter(s -> ZipkinCollector.kind(s).equals("SERVER"))
        .filter(s -> ZipkinCollector.service(s).startsWith("productpage")).findFirst()
        .map(s -> s.get("traceId").getAsString()).orElse(null), t -> t != null);
    List<JsonObject> trace = await().atMost(WAIT).until(() -> zipkin.trace(traceId),
        t -> t.size() >= 9);
    assertThat(zipkin.spans()).filteredOn(s -> "rid-three-hops".equals(
        ZipkinCollector.tag(s, "guid:x-request-id")))
        .as("every span of the request is in one trace")
        .allSatisfy(s -> assertThat(s.get("traceId").getAsString()).isEqualTo(traceId));
    assertThat(trace).hasSize(9);
    Map<String, JsonObject> byId = new HashMap<>();
    trace.forEach(s -> byId.put(s.get("id").getAsString(), s));

    JsonObject pageServer = only(trace, "productpage", "SERVER");
    assertThat(pageServer.has("parentId")).as("the outside caller starts the trace").isFalse();
    JsonObject pageCall = only(trace, "productpage", "");
    assertThat(parent(byId, pageCall)).isEqualTo(pageServer);
    List<JsonObject> pageAttempts = all(trace, "productpage", "CLIENT");
    assertThat(pageAttempts).as("two attempts under one call span").hasSize(2)
        .allSatisfy(a -> assertThat(parent(byId, a)).isEqualTo(pageCall));
    JsonObject first = pageAttempts.get(0);
    JsonObject second = pageAttempts.get(1);

    List<JsonObject> reviewsServers = all(trace, "reviews", "SERVER");
    assertThat(reviewsServers).hasSize(2);
    JsonObject failedServer = reviewsServers.stream()
        .filter(s -> "14".equals(ZipkinCollector.tag(s, "rpc.grpc.status_code"))).findFirst()
        .orElseThrow(() -> new AssertionError("no UNAVAILABLE server span: " + reviewsServers));
    JsonObject okServer = reviewsServers.stream().filter(s -> s != failedServer).findFirst()
        .orElseThrow();
    assertThat(ZipkinCollector.tag(okServer, "rpc.grpc.status_code")).isEqualTo("0");
    assertThat(parent(byId, failedServer)).isEqualTo(first);
    assertThat(parent(byId, okServer)).as("the answering server span is the retry's")
        .isEqualTo(second);

    JsonObject reviewsCall = only(trace, "reviews", "");
    assertThat(parent(byId, reviewsCall)).isEqualTo(okServer);
    JsonObject reviewsAttempt = only(trace, "reviews", "CLIENT");
    assertThat(parent(byId, reviewsAttempt)).isEqualTo(reviewsCall);
    JsonObject ratingsServer = only(trace, "ratings", "SERVER");
    assertThat(parent(byId, ratingsServer)).isEqualTo(reviewsAttempt);

    // the end-user header reached every hop: the Telemetry's custom tag on each server span
    for (JsonObject server : List.of(pageServer, okServer, ratingsServer)) {
      assertThat(ZipkinCollector.tag(server, "end_user")).as(ZipkinCollector.service(server))
          .isEqualTo("jason");
    }
  }

  /** The spans of {@code service} of {@code kind} ("" for INTERNAL), oldest first. */
  static List<JsonObject> all(List<JsonObject> trace, String service, String kind) {
    return trace.stream().filter(s -> ZipkinCollector.service(s).startsWith(service + "."))
        .filter(s -> ZipkinCollector.kind(s).equals(kind))
        .sorted(Comparator.comparingLong(s -> s.get("timestamp").getAsLong())).toList();
  }

  static JsonObject only(List<JsonObject> trace, String service, String kind) {
    List<JsonObject> found = all(trace, service, kind);
    assertThat(found).as("%s %s span in %s", service, kind, trace).hasSize(1);
    return found.get(0);
  }

  static JsonObject parent(Map<String, JsonObject> byId, JsonObject span) {
    assertThat(span.has("parentId")).as("parent of %s", span).isTrue();
    JsonObject p = byId.get(span.get("parentId").getAsString());
    assertThat(p).as("parent of %s in the trace", span).isNotNull();
    return p;
  }
}
