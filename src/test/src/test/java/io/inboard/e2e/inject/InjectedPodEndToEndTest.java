package io.inboard.e2e.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.WorkloadStatus;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Namespace-label injection end to end, with this machine standing in for the cluster: a real
 * control plane (local mode; a minted local credential stands in for the projected
 * service-account token) admits a Deployment's pod through its webhook over HTTPS; the test
 * applies the patch as the API server would, plays the kubelet (fieldRefs resolved, volumes
 * written to a directory, the control plane's loopback ports in place of its Service), and
 * starts the pod's application in a child JVM whose only mesh code is
 * {@code Mesh.builder().build()}. It must get its certificate for its service account and be
 * listed by the control plane under the workload name and labels the injection gave it.
 */
class InjectedPodEndToEndTest {
  static final String NAMESPACE = "bookinfo";
  static final String SERVICE_ACCOUNT = "bookinfo-reviews";
  static final String POD_NAME = "reviews-v2-5b4d7f9c8-x7k2p";
  static final String POD_IP = "127.0.0.57";

  @TempDir
  Path dir;

  static String admissionReview() throws Exception {
    try (InputStream in = InjectedPodEndToEndTest.class.getResourceAsStream(
        "/inject/reviews-v2-pod.request.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static HttpClient trusting(ControlPlane cp) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    for (int i = 0; i < cp.rootCertificates().size(); i++) {
      trust.setCertificateEntry("root-" + i, cp.rootCertificates().get(i));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).build();
  }

  @Test
  void podAdmittedThroughTheWebhook_joinsTheMeshWithItsIdentityNameAndLabels()
      throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(0)
        .stateDirectory(dir.resolve("state")).registrationGracePeriod(Duration.ZERO).start()) {
      // the API server: the review over HTTPS, trusting only the CA's roots
      String review = admissionReview();
      HttpResponse<String> answer = trusting(cp).send(HttpRequest.newBuilder(
              URI.create("https://127.0.0.1:" + cp.injectionPort() + "/inject"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(review)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonObject response = JsonParser.parseString(answer.body()).getAsJsonObject()
          .getAsJsonObject("response");
      assertThat(response.get("uid").getAsString()).isEqualTo("e2e-7f3c");
      assertThat(response.get("allowed").getAsBoolean()).isTrue();
      assertThat(response.get("patchType").getAsString()).isEqualTo("JSONPatch");
      JsonArray patch = JsonParser.parseString(new String(Base64.getDecoder().decode(
          response.get("patch").getAsString()), StandardCharsets.UTF_8)).getAsJsonArray();
      JsonObject pod = JsonParser.parseString(review).getAsJsonObject()
          .getAsJsonObject("request").getAsJsonObject("object");
      JsonPatch.apply(pod, patch);
      assertThat(pod.getAsJsonObject("spec").getAsJsonArray("containers")).hasSize(1);

      // the kubelet
      Kubelet kubelet = new Kubelet(dir.resolve("pod"), POD_NAME, POD_IP,
          cp.issueLocalCredential(NAMESPACE, SERVICE_ACCOUNT),
          Files.readString(cp.rootCertificateFile()));
      Map<String, String> env = kubelet.run(pod, NAMESPACE, 0);
      assertThat(env).containsEntry("INBOARD_WORKLOAD_NAME", "reviews-v2")
          .containsEntry("POD_NAMESPACE", NAMESPACE)
          .containsEntry("SERVICE_ACCOUNT", SERVICE_ACCOUNT)
          .containsKey("LOG_DIR");
      // the Service names resolve to the control plane's loopback ports here
      env.put("INBOARD_CONTROL_PLANE", cp.xdsAddress());
      env.put("CA_ADDR", cp.secureAddress());
      env.put("HOSTNAME", POD_NAME);

      Process app = startPod(env);
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> readLines(app.getInputStream(), lines), "pod-stdout");
      reader.setDaemon(true);
      reader.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream()
            .anyMatch(l -> l.startsWith("labels ")) || !app.isAlive());
        assertThat(lines).as("child output; exit %s", app.isAlive() ? "alive" : app.exitValue())
            .contains("spiffe spiffe://cluster.local/ns/" + NAMESPACE + "/sa/" + SERVICE_ACCOUNT,
                "node reviews-v2~" + POD_IP + "~" + NAMESPACE,
                "mode XDS [" + cp.xdsAddress() + "]");

        await().atMost(Duration.ofSeconds(30)).until(() ->
            cp.workload(NAMESPACE + "/reviews-v2").filter(WorkloadStatus::connected).isPresent());
        WorkloadStatus w = cp.workload(NAMESPACE + "/reviews-v2").orElseThrow();
        assertThat(w.name()).isEqualTo("reviews-v2");
        assertThat(w.namespace()).isEqualTo(NAMESPACE);
        assertThat(w.serviceAccount()).isEqualTo(SERVICE_ACCOUNT);
        assertThat(w.address()).isEqualTo(POD_IP);
        assertThat(w.labels()).containsEntry("app", "reviews").containsEntry("version", "v2")
            .containsEntry("pod-template-hash", "5b4d7f9c8")
            .containsEntry("security.istio.io/tlsMode", "istio")
            .containsEntry("service.istio.io/canonical-name", "reviews")
            .containsEntry("service.istio.io/canonical-revision", "v2");
      } finally {
        app.getOutputStream().close();
        if (!app.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          app.destroyForcibly();
        }
      }
    }
  }

  private static Process startPod(Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        InjectedPodMain.class.getName());
    // a pod's environment is what its spec says, nothing of ours
    pb.environment().keySet().removeIf(k -> k.startsWith("INBOARD_") || k.equals("CA_ADDR")
        || k.startsWith("POD_") || k.equals("SERVICE_ACCOUNT") || k.equals("INSTANCE_IP")
        || k.equals("CLUSTER_ID") || k.equals("HOSTNAME"));
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }

  private static void readLines(InputStream in, List<String> lines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in,
        StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    } catch (java.io.IOException e) {
      lines.add("read failed: " + e);
    }
  }
}
