package io.inboard.mesh.controlplane.internal.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.inboard.mesh.controlplane.ControlPlane;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook over real HTTPS on the control plane's injection port, trusting only the CA's
 * roots: AdmissionReviews in, the exact patch (golden JSON) out.
 */
class InjectionWebhookTest {
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

  static String resource(String name) throws IOException {
    try (InputStream in = InjectionWebhookTest.class.getResourceAsStream("/inject/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static JsonObject review(String body) throws Exception {
    HttpResponse<String> r = https.post("/inject", "application/json", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  static JsonArray patch(JsonObject review) {
    JsonObject response = review.getAsJsonObject("response");
    assertThat(response.get("allowed").getAsBoolean()).isTrue();
    assertThat(response.get("patchType").getAsString()).isEqualTo("JSONPatch");
    return JsonParser.parseString(new String(Base64.getDecoder().decode(
        response.get("patch").getAsString()), StandardCharsets.UTF_8)).getAsJsonArray();
  }

  /** A pod as the API server sends it, with {@code metadata} replaced. */
  static String podReview(String uid, String metadata, String spec) {
    return """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "%s", "kind": {"group": "", "version": "v1", "kind": "Pod"},
          "namespace": "default", "operation": "CREATE",
          "object": {"apiVersion": "v1", "kind": "Pod", "metadata": %s, "spec": %s}}}
        """.formatted(uid, metadata, spec);
  }

  static final String SPEC = "{\"containers\": [{\"name\": \"app\", \"image\": \"app:1\"}]}";

  @Test
  void deploymentPodInALabelledNamespace_getsTheExactPatch() throws Exception {
    JsonObject out = review(resource("deployment-pod.request.json"));

    assertThat(out.get("apiVersion").getAsString()).isEqualTo("admission.k8s.io/v1");
    assertThat(out.get("kind").getAsString()).isEqualTo("AdmissionReview");
    assertThat(out.getAsJsonObject("response").get("uid").getAsString())
        .isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
    assertThat(patch(out)).isEqualTo(JsonParser.parseString(
        resource("deployment-pod.patch.json")));
  }

  @Test
  void optedInBarePodWithoutLabels_getsLabelsWholeAndKeepsTheAppsOwnEnv() throws Exception {
    JsonObject out = review(resource("bare-pod-opted-in.request.json"));

    assertThat(patch(out)).isEqualTo(JsonParser.parseString(
        resource("bare-pod-opted-in.patch.json")));
  }

  @Test
  void podLabelFalse_optsOut_evenWithTheAnnotationTrue() throws Exception {
    JsonObject out = review(podReview("u-1", """
        {"name": "p", "labels": {"sidecar.istio.io/inject": "false"},
         "annotations": {"sidecar.istio.io/inject": "true"}}""", SPEC));

    assertThat(out.getAsJsonObject("response")).isEqualTo(
        JsonParser.parseString("{\"uid\": \"u-1\", \"allowed\": true}"));
  }

  @Test
  void podLabelTrue_optsIn_evenWithTheAnnotationFalse() throws Exception {
    JsonObject out = review(podReview("u-2", """
        {"name": "p", "labels": {"sidecar.istio.io/inject": "true"},
         "annotations": {"sidecar.istio.io/inject": "false"}}""", SPEC));

    assertThat(patch(out)).isNotEmpty();
  }

  @Test
  void annotationFalse_optsOut() throws Exception {
    JsonObject out = review(podReview("u-3", """
        {"name": "p", "annotations": {"sidecar.istio.io/inject": "false"}}""", SPEC));

    assertThat(out.getAsJsonObject("response")).isEqualTo(
        JsonParser.parseString("{\"uid\": \"u-3\", \"allowed\": true}"));
  }

  @Test
  void hostNetworkPod_isNotInjected() throws Exception {
    JsonObject out = review(podReview("u-4", "{\"name\": \"p\"}",
        "{\"hostNetwork\": true, \"containers\": [{\"name\": \"app\", \"image\": \"app:1\"}]}"));

    assertThat(out.getAsJsonObject("response")).isEqualTo(
        JsonParser.parseString("{\"uid\": \"u-4\", \"allowed\": true}"));
  }

  @Test
  void alreadyInjectedPod_isNotInjectedTwice() throws Exception {
    JsonObject out = review(podReview("u-5",
        "{\"name\": \"p\", \"annotations\": {\"inboard.io/status\": \"{}\"}}", SPEC));

    assertThat(out.getAsJsonObject("response")).isEqualTo(
        JsonParser.parseString("{\"uid\": \"u-5\", \"allowed\": true}"));
  }

  @Test
  void kubeSystemPod_isNotInjected() throws Exception {
    JsonObject out = review(podReview("u-6", "{\"name\": \"p\", \"namespace\": \"kube-system\"}",
        SPEC));

    assertThat(out.getAsJsonObject("response")).isEqualTo(
        JsonParser.parseString("{\"uid\": \"u-6\", \"allowed\": true}"));
  }

  @Test
  void servingCertificate_namesTheControlPlaneServiceAndChainsToTheRoot() throws Exception {
    var webhook = io.inboard.mesh.controlplane.InternalControlPlane.injectionWebhook(cp)
        .orElseThrow();
    X509Certificate leaf = webhook.servingChain().get(0);
    List<String> names = leaf.getSubjectAlternativeNames().stream()
        .filter(n -> (Integer) n.get(0) == 2).map(n -> (String) n.get(1)).toList();

    assertThat(names).contains("inboard-control-plane.inboard-system.svc",
        "inboard-control-plane.inboard-system.svc.cluster.local", "localhost");
    leaf.verify(webhook.servingChain().get(webhook.servingChain().size() - 1).getPublicKey());
  }

  @Test
  void caPortCertificate_namesTheServiceInjectedPodsDial() throws Exception {
    X509Certificate leaf = io.inboard.mesh.controlplane.InternalControlPlane.engine(cp).ca()
        .orElseThrow().servingChain().get(0);
    List<String> names = leaf.getSubjectAlternativeNames().stream()
        .filter(n -> (Integer) n.get(0) == 2).map(n -> (String) n.get(1)).toList();

    assertThat(names).contains("inboard-control-plane.istio-system.svc");
  }

  static JsonElement parse(String s) {
    return JsonParser.parseString(s);
  }
}
