package io.inboard.mesh.http;

import static io.inboard.mesh.http.TestCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.annotation.Retry;
import io.inboard.mesh.api.annotation.Timeout;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.http.annotation.Body;
import io.inboard.mesh.http.annotation.Delete;
import io.inboard.mesh.http.annotation.Get;
import io.inboard.mesh.http.annotation.Header;
import io.inboard.mesh.http.annotation.PathParam;
import io.inboard.mesh.http.annotation.Post;
import io.inboard.mesh.http.annotation.QueryParam;
import io.inboard.mesh.testing.HttpBackendExtension;
import io.inboard.mesh.testing.RecordedRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeclarativeClientTest {

  @MeshClient("reviews:9080")
  @Retry(attempts = 2, retryOn = "5xx")
  interface ReviewsApi {
    @Get("/reviews/{id}")
    String review(@PathParam("id") int id, @QueryParam("u") String user,
        @Header("X-Test") String test);

    @Post("/reviews/{id}")
    HttpResponse<String> post(@PathParam("id") String id, @Body String body);

    @Delete("/reviews/{id}")
    @Retry(attempts = 0)
    CompletableFuture<Void> delete(@PathParam("id") int id);

    @Get("/raw")
    byte[] raw();

    default String first() {
      return review(1, null, null);
    }
  }

  private final StaticDiscovery discovery = new StaticDiscovery();
  private final Mesh mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
      .discovery(discovery).build();
  @RegisterExtension
  final HttpBackendExtension backend = HttpBackendExtension.on("127.0.0.2").build()
      .body(DeclarativeClientTest::describe);
  private final MeshHttpClient http = MeshHttpClient.of(mesh);

  /** The body the backend answers: the request as the server saw it. */
  private static String describe(RecordedRequest r) {
    return r.method() + " " + r.uri() + " h=" + r.header("X-Test").orElse(null)
        + " ct=" + r.header("Content-Type").orElse(null) + " body=" + r.body();
  }

  @BeforeEach
  void discover() {
    discovery.put(ServiceName.of("reviews", "default"),
        List.of(Endpoint.ready("127.0.0.2", backend.port())));
  }

  @AfterEach
  void close() {
    mesh.close();
  }

  @Test
  void mapsPathQueryHeaderAndBody() {
    ReviewsApi api = http.create(ReviewsApi.class);

    assertThat(api.review(7, "jason smith", "t1"))
        .isEqualTo("GET /reviews/7?u=jason%20smith h=t1 ct=null body=");
    HttpResponse<String> posted = api.post("a b", "hello");
    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(posted.body())
        .isEqualTo("POST /reviews/a%20b h=null ct=text/plain; charset=utf-8 body=hello");
    assertThat(api.first()).startsWith("GET /reviews/1 ");
    assertThat(new String(api.raw())).startsWith("GET /raw");
  }

  @Test
  void non2xxThrowsStatusExceptionAfterRetries() {
    ReviewsApi api = http.create(ReviewsApi.class);
    backend.status(500);
    int before = backend.calls();

    assertThatThrownBy(() -> api.review(1, null, null))
        .isInstanceOfSatisfying(MeshHttpStatusException.class, e -> {
          assertThat(e.status()).isEqualTo(500);
          assertThat(e.body()).startsWith("GET /reviews/1");
        });
    assertThat(backend.calls() - before).isEqualTo(3);

    // The method's @Retry(attempts = 0) overrides the interface's.
    int beforeDelete = backend.calls();
    assertThatThrownBy(() -> api.delete(1).get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(MeshHttpStatusException.class);
    assertThat(backend.calls() - beforeDelete).isEqualTo(1);
    // HttpResponse-returning methods hand back any status.
    assertThat(api.post("1", "x").statusCode()).isEqualTo(500);
  }

  @Test
  void sendsThroughTheSameMeshNamesAsTheImperativeClient() throws Exception {
    for (String host : List.of("reviews", "reviews.default", "reviews.default.svc",
        "reviews.default.svc.cluster.local")) {
      assertThat(http.send(get("http://" + host + ":9080/p?q=1"),
          HttpResponse.BodyHandlers.ofString()).body()).startsWith("GET /p?q=1 ");
    }
  }

  @MeshClient("reviews")
  interface MissingPathParam {
    @Get("/reviews/{id}")
    String review(@QueryParam("id") int id);
  }

  @MeshClient("reviews")
  @Timeout("soon")
  interface BadTimeout {
    @Get("/x")
    String x();
  }

  @MeshClient("reviews")
  interface BodyOnGet {
    @Get("/x")
    String x(@Body String body);
  }

  @MeshClient("reviews")
  interface UnsupportedReturn {
    @Get("/x")
    List<String> x();
  }

  @MeshClient("reviews")
  interface NoVerb {
    String x();
  }

  @MeshClient("reviews")
  interface BadRetryOn {
    @Get("/x")
    @Retry(retryOn = "sometimes")
    String x();
  }

  @Test
  void invalidAnnotationsFailAtCreationNamingFieldValueAndExpectation() {
    assertThatThrownBy(() -> http.create(MissingPathParam.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MissingPathParam.review @Get.value: '/reviews/{id}' placeholder"
            + " {id} (expected: a parameter annotated @PathParam(\"id\"))");
    assertThatThrownBy(() -> http.create(BadTimeout.class))
        .hasMessageContaining("@Timeout.value: 'soon' (expected: a duration");
    assertThatThrownBy(() -> http.create(BodyOnGet.class))
        .hasMessageContaining("@Body: on a GET method (expected: @Post or @Put)");
    assertThatThrownBy(() -> http.create(UnsupportedReturn.class))
        .hasMessageContaining("return type: java.util.List<java.lang.String> (expected: String,");
    assertThatThrownBy(() -> http.create(NoVerb.class))
        .hasMessageContaining("NoVerb.x: no HTTP method (expected: exactly one of @Get");
    assertThatThrownBy(() -> http.create(BadRetryOn.class))
        .hasMessageContaining("BadRetryOn.x @Retry.retryOn: 'sometimes' (expected: one of");
  }
}
