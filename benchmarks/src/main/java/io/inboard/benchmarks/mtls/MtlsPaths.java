package io.inboard.benchmarks.mtls;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.inboard.benchmarks.http.OpenLoop;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The client paths of the mTLS benchmark, each built as an application builds it. Every path
 * ends at a server in {@link MtlsServers}' JVM.
 *
 * <table>
 *   <caption>paths</caption>
 *   <tr><th>path</th><th>client</th><th>to</th></tr>
 *   <tr><td>{@code http-direct}</td><td>bare JDK HttpClient</td><td>plain Jetty</td></tr>
 *   <tr><td>{@code http-sidecar}</td><td>bare JDK HttpClient</td><td>HAProxy, mTLS to HAProxy,
 *       plain Jetty</td></tr>
 *   <tr><td>{@code http-sidecar-full}</td><td>as {@code http-sidecar}, handshakes only: HAProxy
 *       resumes no TLS session</td><td></td></tr>
 *   <tr><td>{@code http-inboard-plain}</td><td>{@link MeshHttpClient}, {@code http://echo-plain/}
 *       </td><td>MeshJetty, DISABLE</td></tr>
 *   <tr><td>{@code http-inboard-mtls}</td><td>{@link MeshHttpClient}, {@code http://echo-mtls/}
 *       (auto-mTLS: https)</td><td>MeshJetty, STRICT</td></tr>
 *   <tr><td>{@code grpc-direct}</td><td>grpc-netty channel, plaintext</td><td>grpc-netty</td></tr>
 *   <tr><td>{@code grpc-sidecar}</td><td>grpc-netty channel, plaintext</td><td>HAProxy (h2), mTLS
 *       (h2) to HAProxy, grpc-netty</td></tr>
 *   <tr><td>{@code grpc-inboard-plain}</td><td>{@link MeshChannels}, {@code grpc-plain:9090}
 *       (xDS)</td><td>MeshGrpc server, DISABLE</td></tr>
 *   <tr><td>{@code grpc-inboard-mtls}</td><td>{@link MeshChannels}, {@code grpc-mtls:9090} (xDS,
 *       A29 mTLS)</td><td>MeshGrpc server, STRICT</td></tr>
 * </table>
 *
 * Both Inboard clients run in a mesh with the control plane's xDS and the client identity that
 * {@link MtlsServers} wrote (the plain paths have it too: only the cluster differs). With
 * {@code close}, HTTP requests ask the server to close the connection after the response
 * ({@code ?close}), so each request runs on a new connection.
 */
final class MtlsPaths {

  /** A path ready to send, and what to close after the run. */
  record Built(OpenLoop.Call call, AutoCloseable resources) {}

  private MtlsPaths() {}

  static Built build(String path, Path identityDir, boolean close) throws IOException {
    String q = close ? "?close" : "";
    return switch (path) {
      case "http-direct" -> bare("http://127.0.0.1:" + MtlsPorts.HTTP_PLAIN + "/" + q);
      case "http-sidecar" -> bare("http://127.0.0.1:"
          + (close ? MtlsPorts.SIDECAR_HANDSHAKE : MtlsPorts.SIDECAR_HTTP) + "/" + q);
      case "http-sidecar-full" -> bare("http://127.0.0.1:" + MtlsPorts.SIDECAR_HANDSHAKE_FULL
          + "/" + q);
      case "http-inboard-plain" -> inboardHttp("http://echo-plain/" + q, identityDir);
      case "http-inboard-mtls" -> inboardHttp("http://echo-mtls/" + q, identityDir);
      case "grpc-direct" -> grpc(Grpc.newChannelBuilderForAddress("127.0.0.1",
          MtlsPorts.GRPC_PLAIN, InsecureChannelCredentials.create()).build(), null);
      case "grpc-sidecar" -> grpc(Grpc.newChannelBuilderForAddress("127.0.0.1",
          MtlsPorts.SIDECAR_GRPC, InsecureChannelCredentials.create()).build(), null);
      case "grpc-inboard-plain" -> inboardGrpc("grpc-plain:9090", identityDir);
      case "grpc-inboard-mtls" -> inboardGrpc("grpc-mtls:9090", identityDir);
      default -> throw new IllegalArgumentException("path: '" + path + "' (expected: http-direct,"
          + " http-sidecar, http-inboard-plain, http-inboard-mtls, or the same with grpc-)");
    };
  }

  /** A bare JDK client with its own executor, as issue 4's {@code direct} path. */
  private static Built bare(String url) {
    ExecutorService executor = Executors.newFixedThreadPool(
        Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
          Thread t = new Thread(r, "bench-http-executor");
          t.setDaemon(true);
          return t;
        });
    HttpClient client = HttpClient.newBuilder().executor(executor)
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET()
        .timeout(Duration.ofSeconds(5)).build();
    return new Built(() -> bodyLength(client.sendAsync(request, BodyHandlers.ofByteArray())),
        executor::shutdownNow);
  }

  private static Built inboardHttp(String url, Path identityDir) throws IOException {
    Mesh mesh = clientMesh(identityDir);
    MeshHttpClient http = MeshHttpClient.of(mesh);
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET()
        .timeout(Duration.ofSeconds(5)).build();
    return new Built(() -> bodyLength(http.sendAsync(request, BodyHandlers.ofByteArray())),
        () -> {
          http.close();
          mesh.close();
        });
  }

  private static Built inboardGrpc(String service, Path identityDir) throws IOException {
    Mesh mesh = clientMesh(identityDir);
    ManagedChannel channel = MeshChannels.forService(mesh, service).build();
    return grpc(channel, mesh);
  }

  private static Built grpc(ManagedChannel channel, Mesh mesh) {
    OpenLoop.Call call = ByteEcho.unaryCalls(channel);
    return new Built(call, () -> {
      channel.shutdownNow();
      if (mesh != null) {
        mesh.close();
      }
    });
  }

  private static CompletableFuture<Integer> bodyLength(
      CompletableFuture<HttpResponse<byte[]>> response) {
    return response.thenApply(r -> {
      if (r.statusCode() != 200) {
        throw new IllegalStateException("status " + r.statusCode());
      }
      return r.body().length;
    });
  }

  /** A client mesh on the benchmark's control plane, with the identity MtlsServers wrote. */
  static Mesh clientMesh(Path identityDir) throws IOException {
    Mesh mesh = Mesh.builder().workloadName("bench-client").namespace("default")
        .label("app", "bench-client").controlPlane("127.0.0.1:" + MtlsPorts.XDS)
        .initialConfigTimeout(Duration.ofSeconds(20)).adminPort(-1).build();
    IdentityMaterial material = new IdentityMaterial(MtlsServers.CLIENT_ID,
        Pem.privateKey(Files.readString(identityDir.resolve("client.key"))),
        Pem.certificates(Files.readString(identityDir.resolve("client.chain"))),
        Pem.certificates(Files.readString(identityDir.resolve("roots"))), 1);
    InMemoryIdentity identity = new InMemoryIdentity(material.id());
    identity.update(material);
    MeshIdentity.install(mesh, identity);
    return mesh;
  }
}
