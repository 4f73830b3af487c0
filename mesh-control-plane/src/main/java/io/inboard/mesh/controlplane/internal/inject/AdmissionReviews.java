package io.inboard.mesh.controlplane.internal.inject;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers one {@code admission.k8s.io/v1} AdmissionReview (v1beta1, the same shape, is answered
 * in kind): {@code apiVersion} and {@code kind} echoed, {@code response.uid} =
 * {@code request.uid}. A pod that is not injected gets {@code allowed: true} and no patch; an
 * injected one also {@code patchType: JSONPatch} and {@code patch} (base64 of the RFC 6902
 * array).
 *
 * <p>A review that cannot be read (not JSON, no {@code request}, no {@code uid}, not a Pod, no
 * {@code object}) is answered as Istio's webhook does: an AdmissionReview whose response has
 * {@code allowed: false} and a {@code status} (Kubernetes' {@code metav1.Status}: {@code
 * Failure}, code 400, reason {@code BadRequest}) whose {@code message} names the field, the
 * value and what was expected; the API server shows that message to whoever created the
 * object. The API server itself never sends such a review, so this answers misconfigured
 * webhooks and hand-made requests; it is never an exception.
 */
final class AdmissionReviews {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls()
      .create();
  private static final String V1 = "admission.k8s.io/v1";
  private static final Set<String> VERSIONS = Set.of(V1, "admission.k8s.io/v1beta1");

  private final PodInjector injector;

  AdmissionReviews(PodInjector injector) {
    this.injector = injector;
  }

  /** The response to {@code body}, as JSON. */
  String answer(byte[] body) {
    JsonObject review;
    try {
      JsonElement parsed = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
      if (!parsed.isJsonObject()) {
        return failure(V1, "", "body: " + describe(parsed)
            + " (expected: an AdmissionReview JSON object)");
      }
      review = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      return failure(V1, "", "body: not JSON (" + rootMessage(e) + ") (expected: an"
          + " AdmissionReview JSON object)");
    }
    String apiVersion = text(review, "apiVersion");
    if (!VERSIONS.contains(apiVersion) || !"AdmissionReview".equals(text(review, "kind"))) {
      return failure(V1, "", "apiVersion/kind: '" + apiVersion + "' '" + text(review, "kind")
          + "' (expected: admission.k8s.io/v1 AdmissionReview)");
    }
    if (!(review.get("request") instanceof JsonObject request)) {
      return failure(apiVersion, "", "request: " + describe(review.get("request"))
          + " (expected: the AdmissionRequest object)");
    }
    String uid = text(request, "uid");
    if (uid.isBlank()) {
      return failure(apiVersion, "", "request.uid: " + describe(request.get("uid"))
          + " (expected: the request's UID, a non-empty string, to echo as response.uid)");
    }
    JsonObject kind = request.get("kind") instanceof JsonObject k ? k : new JsonObject();
    String gvk = (text(kind, "group").isEmpty() ? "" : text(kind, "group") + "/")
        + text(kind, "version") + " " + text(kind, "kind");
    if (!text(kind, "group").isEmpty() || !"v1".equals(text(kind, "version"))
        || !"Pod".equals(text(kind, "kind"))) {
      return failure(apiVersion, uid, "request.kind: '" + gvk.strip() + "' (expected: v1 Pod;"
          + " the webhook's rules should send pods only)");
    }
    if (!(request.get("object") instanceof JsonObject object)) {
      return failure(apiVersion, uid, "request.object: " + describe(request.get("object"))
          + " (expected: the Pod being created)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> pod = (Map<String, Object>) JsonValues.toJava(object);
    // as Istio: a pod created by a controller often has no namespace yet
    String namespace = Trees.string(Trees.map(pod, "metadata"), "namespace");
    if (namespace.isEmpty()) {
      namespace = text(request, "namespace");
    }
    List<Map<String, Object>> patch = injector.patch(pod, namespace);
    JsonObject response = new JsonObject();
    response.addProperty("uid", uid);
    response.addProperty("allowed", true);
    if (!patch.isEmpty()) {
      response.addProperty("patchType", "JSONPatch");
      response.addProperty("patch", Base64.getEncoder().encodeToString(
          GSON.toJson(JsonValues.toJson(patch)).getBytes(StandardCharsets.UTF_8)));
    }
    return envelope(apiVersion, response);
  }

  private static String failure(String apiVersion, String uid, String message) {
    JsonObject status = new JsonObject();
    status.add("metadata", new JsonObject());
    status.addProperty("status", "Failure");
    status.addProperty("message", message);
    status.addProperty("reason", "BadRequest");
    status.addProperty("code", 400);
    JsonObject response = new JsonObject();
    response.addProperty("uid", uid);
    response.addProperty("allowed", false);
    response.add("status", status);
    return envelope(apiVersion, response);
  }

  private static String envelope(String apiVersion, JsonObject response) {
    JsonObject out = new JsonObject();
    out.addProperty("apiVersion", apiVersion);
    out.addProperty("kind", "AdmissionReview");
    out.add("response", response);
    return GSON.toJson(out);
  }

  private static String text(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
        ? e.getAsString() : "";
  }

  private static String describe(JsonElement e) {
    if (e == null) {
      return "missing";
    }
    String s = e.toString();
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
