package io.inboard.e2e.telemetry;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.http.MeshHttpClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client workload ({@code productpage-v1} on 127.0.0.1) calling a {@link ScriptedPod}
 * registered as a service of a real control plane on both its ports, with both Inboard clients:
 * a gRPC channel from {@code MeshChannels} and {@code MeshHttpClient}. Both meshes run their
 * admin servers on ephemeral ports.
 */
final class MeshPair implements AutoCloseable {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  final ControlPlaneExtension cp;
  final String service;
  final ScriptedPod pod;
  final Mesh client;
  private final ManagedChannel channel;
  private final MeshHttpClient http;

  /** {@code service}'s pod is workload {@code service + "-v1"} on {@code ip}. */
  MeshPair(ControlPlaneExtension cp, String service, String ip) throws Exception {
    this.cp = cp;
    this.service = service;
    pod = new ScriptedPod(cp.mesh(service + "-v1", b -> b.instanceIps(ip).adminPort(0)
        .label("app", service).label("version", "v1")), ip);
    for (int port : new int[] {pod.grpcPort(), pod.httpPort()}) {
      cp.controlPlane().register(new ServiceEndpoint(cp.host(service), port, ip,
          Map.of("app", service, "version", "v1")));
    }
    client = cp.mesh("productpage-v1", b -> b.adminPort(0)
        .label("app", "productpage").label("version", "v1"));
    channel = MeshChannels.forService(client, service + ":" + pod.grpcPort()).build();
    http = MeshHttpClient.of(client);
  }

  String grpcAuthority() {
    return service + ":" + pod.grpcPort();
  }

  String httpAuthority() {
    return service + ":" + pod.httpPort();
  }

  /** One unary gRPC call: its status code name ({@code OK}, {@code UNAVAILABLE}, ...). */
  String grpc(Map<String, String> headers) {
    Metadata md = new Metadata();
    headers.forEach((k, v) -> md.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    try {
      SimpleServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("abc").build());
      return "OK";
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }

  String grpc() {
    return grpc(Map.of());
  }

  CompletableFuture<String> grpcAsync() {
    return CompletableFuture.supplyAsync(this::grpc);
  }

  /** One HTTP GET of {@code path} with {@code headers}: its response. */
  HttpResponse<String> http(String path, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + httpAuthority() + path))
        .timeout(CALL_TIMEOUT);
    headers.forEach(b::header);
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("HTTP call failed", e);
    }
  }

  /**
   * The status of one HTTP GET of {@code path}, or {@code -1} when the client threw (a proxyless
   * client has no proxy to answer a timeout or a shed call with a local 504 or 503).
   */
  int http(String path) {
    try {
      return http(path, Map.of()).statusCode();
    } catch (AssertionError e) {
      return -1;
    }
  }

  CompletableFuture<Integer> httpAsync(String path) {
    return CompletableFuture.supplyAsync(() -> http(path));
  }

  Scrape clientScrape() {
    return Scrape.of(client.adminAddress().orElseThrow());
  }

  Scrape serverScrape() {
    return Scrape.of(pod.admin());
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow();
    pod.close();
    client.close();
  }
}
