package io.inboard.e2e.security;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.http.MeshHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One caller of an {@link AnyCallPod}, on both planes: a mesh workload (mTLS with its identity)
 * or a client outside the mesh (plaintext). Each call answers {@code allow <what the app saw>},
 * {@code deny} (403 / PERMISSION_DENIED), {@code unauthenticated} (401 / UNAUTHENTICATED), or
 * {@code error <status>}.
 */
final class AccessCallers implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Mesh mesh;
  private final String httpBase;
  private final ManagedChannel channel;
  private final Sender http;

  private interface Sender {
    HttpResponse<String> send(HttpRequest r) throws Exception;
  }

  private AccessCallers(Mesh mesh, ManagedChannel channel, String httpBase, Sender http) {
    this.mesh = mesh;
    this.channel = channel;
    this.httpBase = httpBase;
    this.http = http;
  }

  /** A mesh workload calling the pod by its service name {@code host}. */
  static AccessCallers inMesh(Mesh mesh, String host, AnyCallPod pod) {
    MeshHttpClient client = MeshHttpClient.of(mesh);
    return new AccessCallers(mesh,
        MeshChannels.forService(mesh, host + ":" + pod.grpcPort()).build(),
        "http://" + host + ":" + pod.httpPort(),
        r -> client.send(r, HttpResponse.BodyHandlers.ofString()));
  }

  /** A plaintext client outside the mesh calling the pod's address. */
  static AccessCallers outside(AnyCallPod pod) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    return new AccessCallers(null,
        Grpc.newChannelBuilderForAddress(pod.ip, pod.grpcPort(),
            InsecureChannelCredentials.create()).build(),
        "http://" + pod.ip + ":" + pod.httpPort(),
        r -> client.send(r, HttpResponse.BodyHandlers.ofString()));
  }

  /** Calls gRPC method {@code path} ({@code /package.Service/Method}) with {@code headers}. */
  String grpc(String path, Map<String, String> headers) {
    try {
      return "allow " + new String(invoke(path, headers), StandardCharsets.UTF_8);
    } catch (StatusRuntimeException e) {
      Status.Code c = e.getStatus().getCode();
      return c == Status.Code.PERMISSION_DENIED ? "deny"
          : c == Status.Code.UNAUTHENTICATED ? "unauthenticated" : "error " + e.getStatus();
    }
  }

  /** The status a gRPC call to {@code path} ends with. */
  Status rawGrpc(String path, Map<String, String> headers) {
    try {
      invoke(path, headers);
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private byte[] invoke(String path, Map<String, String> headers) {
    Metadata md = new Metadata();
    headers.forEach((k, v) -> md.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(path.substring(1))
        .setRequestMarshaller(AnyCallPod.BYTES).setResponseMarshaller(AnyCallPod.BYTES).build();
    return ClientCalls.blockingUnaryCall(
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md)),
        method, CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
        new byte[0]);
  }

  /**
   * Sends HTTP {@code POST} (as gRPC calls are) to {@code pathAndQuery} with {@code headers}.
   */
  String http(String pathAndQuery, Map<String, String> headers) {
    return http("POST", pathAndQuery, headers);
  }

  /** Sends HTTP {@code method} to {@code pathAndQuery} with {@code headers}. */
  String http(String method, String pathAndQuery, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpBase + pathAndQuery))
        .timeout(TIMEOUT).method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = http.send(b.build());
      return switch (r.statusCode()) {
        case 200 -> "allow " + r.body();
        case 403 -> "deny";
        case 401 -> "unauthenticated";
        default -> "error " + r.statusCode() + " " + r.body();
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "error interrupted";
    } catch (Exception e) {
      return "error " + e;
    }
  }

  /** The raw HTTP answer to {@code POST path}: status, {@code WWW-Authenticate} and body. */
  HttpResponse<String> rawHttp(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpBase + path))
        .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    return http.send(b.build());
  }

  @Override
  public void close() {
    channel.shutdownNow();
    if (mesh != null) {
      mesh.close();
    }
  }
}
