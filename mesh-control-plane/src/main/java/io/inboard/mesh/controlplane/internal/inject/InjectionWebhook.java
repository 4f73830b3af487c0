package io.inboard.mesh.controlplane.internal.inject;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.inboard.mesh.controlplane.internal.ca.CaServer;
import io.inboard.mesh.controlplane.internal.ca.ServingCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mutating admission webhook: {@code POST /inject} over HTTPS on the injection port
 * (default 15017), answering {@code admission.k8s.io/v1} AdmissionReviews for pods (see
 * {@link AdmissionReviews} and {@link InjectionPolicy}). Its certificate comes from the control
 * plane's own CA, for {@code inboard-control-plane.<ns>.svc} (and {@code .svc.cluster.local})
 * and the CA's host names, and is renewed at half its life and on every root change, as the CA
 * port's is; {@link WebhookCaBundle} keeps the webhook configuration trusting the CA's roots.
 *
 * <p>HTTP errors, each with a JSON body {@code {"error": "..."}}: another path 404, another
 * method 405, a {@code Content-Type} other than {@code application/json} 415 (as Istio), an
 * empty body 400, a body over 8 MiB 413. A request is answered on one of a few threads of its
 * own; a failure answering one never stops the server.
 *
 * <p><b>Failure policy (what {@code inboardctl install} should render).</b> We recommend
 * {@code failurePolicy: Ignore} with {@code timeoutSeconds: 10}, the webhook applied last
 * (after the control plane is ready), and namespace selectors that never match
 * {@code inboard-system} or {@code kube-system}. Reasons: Istio's {@code Fail} blocks every pod
 * of a labelled namespace while istiod is unreachable (istio#30139, #43593: "failed calling
 * webhook ... context deadline exceeded"), including the control plane's own pods if it were
 * selected, so a cluster cannot heal itself; and for Inboard a missed injection is cheap and
 * visible: the pod starts 1/1 without the env, its {@code Mesh} falls back to its explicit or
 * Kubernetes-mode settings (or fails its build naming what is missing), it carries no
 * {@code inboard.io/status} annotation, and a rollout restart injects it once the control plane
 * is back. The OpenTelemetry operator's pod webhook makes the same choice. {@code Fail} is the
 * right choice only where an uninjected pod must never run (a STRICT mesh with no plaintext
 * fallback), and then only with the selectors above.
 */
public final class InjectionWebhook implements AutoCloseable {
  /** The path the webhook configuration's {@code clientConfig.service.path} names. */
  public static final String PATH = "/inject";
  /** The control plane's Service and Deployment name. */
  public static final String SERVICE = "inboard-control-plane";

  private static final Logger log = LoggerFactory.getLogger(InjectionWebhook.class);
  private static final int MAX_BODY = 8 << 20;

  private final ServingCertificate certificate;
  private final HttpsServer server;
  private final ExecutorService executor;
  private final AdmissionReviews reviews;

  private InjectionWebhook(ServingCertificate certificate, HttpsServer server,
      ExecutorService executor, AdmissionReviews reviews) {
    this.certificate = certificate;
    this.server = server;
    this.executor = executor;
    this.reviews = reviews;
  }

  /**
   * Starts the webhook on {@code host:port} (0 picks a free port) with a certificate from
   * {@code ca} for the control plane's Service in {@code namespaces} and {@code moreNames}.
   */
  public static InjectionWebhook start(String host, int port, CaServer ca,
      List<String> namespaces, List<String> moreNames, InjectionTemplate template)
      throws IOException {
    Set<String> names = new LinkedHashSet<>();
    for (String ns : namespaces) {
      names.add(SERVICE + "." + ns + ".svc");
      names.add(SERVICE + "." + ns + ".svc.cluster.local");
    }
    names.addAll(moreNames);
    ServingCertificate certificate = ca.newServingCertificate(new ArrayList<>(names));
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "inboard-injection-webhook-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[] {certificate.keyManager()}, null, null);
      HttpsServer server = HttpsServer.create(new InetSocketAddress(host, port), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      server.setExecutor(executor);
      InjectionWebhook webhook = new InjectionWebhook(certificate, server, executor,
          new AdmissionReviews(new PodInjector(template)));
      server.createContext("/", webhook::handle);
      server.start();
      return webhook;
    } catch (IOException e) {
      certificate.close();
      executor.shutdownNow();
      throw new IOException("injectionPort: cannot bind " + host + ":" + port + " ("
          + e.getMessage() + ")", e);
    } catch (GeneralSecurityException e) {
      certificate.close();
      executor.shutdownNow();
      throw new IllegalStateException("injection webhook: no TLS: " + e.getMessage(), e);
    }
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The certificate chain presented now. */
  public List<java.security.cert.X509Certificate> servingChain() {
    return certificate.chain();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      // read the body first, whatever the answer: bytes left unread would be taken for the
      // next request on this kept-alive connection
      byte[] body = read(exchange.getRequestBody());
      String path = exchange.getRequestURI().getPath();
      if (!PATH.equals(path)) {
        send(exchange, 404, error("path: '" + path + "' (expected: " + PATH + ")"));
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        send(exchange, 405, error("method: " + exchange.getRequestMethod()
            + " (expected: POST of an AdmissionReview)"));
        return;
      }
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
      if (!mediaType.equals("application/json")) {
        send(exchange, 415, error("Content-Type: '" + (type == null ? "" : type)
            + "' (expected: application/json)"));
        return;
      }
      if (body == null) {
        send(exchange, 413, error("body: over " + MAX_BODY + " bytes (expected: an"
            + " AdmissionReview)"));
      } else if (body.length == 0) {
        send(exchange, 400, error("body: empty (expected: an AdmissionReview JSON object)"));
      } else {
        send(exchange, 200, reviews.answer(body));
      }
    } catch (IOException | RuntimeException e) {
      // the exchange is closed; the next request is served as usual
      log.warn("injection webhook: cannot answer a request: {}", e.toString());
    }
  }

  private static byte[] read(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    return body.length > MAX_BODY ? null : body;
  }

  private static String error(String message) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    return o.toString();
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (status != 200) {
      // a client that sent something unexpected starts over on a fresh connection
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    certificate.close();
  }
}
