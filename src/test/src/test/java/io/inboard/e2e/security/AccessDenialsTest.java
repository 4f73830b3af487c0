package io.inboard.e2e.security;

import static io.inboard.e2e.security.AuthorizationConformanceTest.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a denied caller sees and what the denying workload reports: Envoy's 403 body and gRPC's
 * {@code PERMISSION_DENIED}, counted in Istio's {@code istio_requests_total} with the code the
 * client saw; and a policy update the control plane refuses leaves the policy in force.
 */
class AccessDenialsTest {
  private static final String PATH = "/shop.Admin/Get";
  private static AccessBed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = new AccessBed();
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aDenialIsEnvoys403OrPermissionDeniedAndCountedWithThatCode() throws Exception {
    bed.enforce(policy("deny-admin", "action: DENY\nrules:\n- to:\n  - operation:\n"
        + "      paths: [\"/shop.Admin/*\"]"));

    HttpResponse<String> http = bed.sleep.rawHttp(PATH, Map.of());
    assertThat(http.statusCode()).isEqualTo(403);
    assertThat(http.body()).isEqualTo("RBAC: access denied");
    Status grpc = bed.sleep.rawGrpc(PATH, Map.of());
    assertThat(grpc.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(grpc.getDescription()).isEqualTo("RBAC: access denied");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String metrics = metrics();
      assertThat(metrics).containsPattern("istio_requests_total\\{[^}]*request_protocol=\"http\""
          + "[^}]*response_code=\"403\"");
      assertThat(metrics).containsPattern("istio_requests_total\\{[^}]*grpc_response_status=\"7\""
          + "[^}]*request_protocol=\"grpc\"");
    });
  }

  @Test
  void aRefusedUpdateLeavesThePolicyInForce() {
    String good = policy("from-sleep", "rules:\n- from:\n  - source:\n"
        + "      principals: [\"cluster.local/ns/default/sa/sleep\"]");
    bed.enforce(good);
    assertThat(bed.foo.grpc(PATH, Map.of())).isEqualTo("deny");

    String bad = good.replace("principals: [\"cluster.local/ns/default/sa/sleep\"]",
        "ipBlocks: [\"10.0.0.0/33\"]");
    var diagnostics = bed.bed.cp.apply(bad);
    assertThat(diagnostics.errors()).singleElement().asString()
        .contains("from-sleep", "spec.rules[0].from[0].source.ipBlocks[0]", "10.0.0.0/33");

    assertThat(bed.enforced()).containsExactly("default/from-sleep");
    assertThat(bed.sleep.http(PATH, Map.of())).startsWith("allow");
    assertThat(bed.foo.http(PATH, Map.of())).isEqualTo("deny");
  }

  private static String metrics() throws Exception {
    int port = bed.pod.mesh.adminAddress().orElseThrow().getPort();
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + port + "/stats/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
