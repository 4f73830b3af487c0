package io.inboard.mesh.controlplane.internal.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.inboard.mesh.controlplane.ControlPlane;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the webhook cannot use get a clear answer, never a crash, and the server keeps
 * serving: unreadable reviews an AdmissionReview with {@code allowed: false} and a status
 * message naming the field (as Istio's webhook), HTTP-level mistakes an HTTP error with a JSON
 * body (404, 405, 415, 400, as Istio's).
 */
class InjectionWebhookBadRequestTest {
  static ControlPlane cp;
  static WebhookHttps https;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    https = new WebhookHttps(cp.rootCertificates(), cp.injectionPort());
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  static Stream<Arguments> unreadableReviews() {
    return Stream.of(
        Arguments.of("{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": ", "",
            "body: not JSON"),
        Arguments.of("[1, 2]", "", "body: [1,2] (expected: an AdmissionReview JSON object)"),
        Arguments.of("{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"}",
            "", "request: missing (expected: the AdmissionRequest object)"),
        Arguments.of("{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\","
            + " \"request\": {\"kind\": {\"version\": \"v1\", \"kind\": \"Pod\"},"
            + " \"object\": {}}}", "",
            "request.uid: missing (expected: the request's UID, a non-empty string"),
        Arguments.of("{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\","
            + " \"request\": {\"uid\": \"u-9\", \"kind\": {\"group\": \"apps\", \"version\":"
            + " \"v1\", \"kind\": \"Deployment\"}, \"object\": {}}}", "u-9",
            "request.kind: 'apps/v1 Deployment' (expected: v1 Pod"),
        Arguments.of("{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\","
            + " \"request\": {\"uid\": \"u-10\", \"kind\": {\"group\": \"\", \"version\":"
            + " \"v1\", \"kind\": \"Pod\"}}}", "u-10",
            "request.object: missing (expected: the Pod being created)"),
        Arguments.of("{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}", "",
            "apiVersion/kind: 'v1' 'Pod' (expected: admission.k8s.io/v1 AdmissionReview)"));
  }

  @ParameterizedTest
  @MethodSource("unreadableReviews")
  void unreadableReview_isRefusedWithAMessageNamingTheField(String body, String uid,
      String message) throws Exception {
    HttpResponse<String> r = https.post("/inject", "application/json", body);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject review = JsonParser.parseString(r.body()).getAsJsonObject();
    assertThat(review.get("kind").getAsString()).isEqualTo("AdmissionReview");
    JsonObject response = review.getAsJsonObject("response");
    assertThat(response.get("uid").getAsString()).isEqualTo(uid);
    assertThat(response.get("allowed").getAsBoolean()).isFalse();
    assertThat(response.has("patch")).isFalse();
    JsonObject status = response.getAsJsonObject("status");
    assertThat(status.get("code").getAsInt()).isEqualTo(400);
    assertThat(status.get("status").getAsString()).isEqualTo("Failure");
    assertThat(status.get("message").getAsString()).contains(message);
    assertServerStillInjects();
  }

  @Test
  void emptyBody_is400() throws Exception {
    HttpResponse<String> r = https.post("/inject", "application/json", "");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("body: empty (expected: an AdmissionReview JSON object)");
    assertServerStillInjects();
  }

  @Test
  void wrongContentType_is415() throws Exception {
    HttpResponse<String> r = https.post("/inject", "application/yaml", "kind: AdmissionReview");

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(r.body()).contains("Content-Type: 'application/yaml' (expected: application/json)");
    assertServerStillInjects();
  }

  @Test
  void get_is405WithAllowPost() throws Exception {
    HttpResponse<String> r = https.get("/inject");

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    assertThat(r.body()).contains("method: GET (expected: POST of an AdmissionReview)");
  }

  @Test
  void otherPath_is404() throws Exception {
    HttpResponse<String> r = https.post("/mutate", "application/json", "{}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("path: '/mutate' (expected: /inject)");
    assertServerStillInjects();
  }

  private static void assertServerStillInjects() throws Exception {
    HttpResponse<String> r = https.post("/inject", "application/json",
        InjectionWebhookTest.podReview("ok", "{\"name\": \"p\"}", InjectionWebhookTest.SPEC));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("response")
        .get("patchType").getAsString()).isEqualTo("JSONPatch");
  }
}
