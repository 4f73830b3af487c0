package io.inboard.mesh.http.server;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.internal.InternalMesh;
import java.net.http.HttpRequest;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The outbound half of the inbound hooks: adds the current request's propagated headers (trace
 * headers included) and this workload's peer metadata ({@code x-inboard-peer}, and Istio's
 * {@code x-envoy-peer-metadata} and {@code x-envoy-peer-metadata-id}) to an outbound HTTP
 * request. A header the request
 * already has is left as the application set it.
 *
 * <pre>{@code
 * HttpRequest.Builder b = HttpRequest.newBuilder(original, (n, v) -> true);
 * Propagation.apply(mesh, b, original.headers().map()::containsKey);
 * }</pre>
 */
public final class Propagation {

  private Propagation() {}

  /**
   * Adds the headers of {@link RequestContext#current()} and {@code mesh}'s peer identity to
   * {@code builder}, skipping names for which {@code present} is true (the request's own
   * headers; lower-case names are passed).
   */
  public static HttpRequest.Builder apply(Mesh mesh, HttpRequest.Builder builder,
      Predicate<String> present) {
    requireNonNull(builder, "builder");
    forEach(mesh, present, builder::header);
    return builder;
  }

  /**
   * Hands each header to add to {@code sink}: the current context's propagated headers, then
   * the peer metadata; names for which {@code present} is true are skipped. For clients
   * other than the JDK's.
   */
  public static void forEach(Mesh mesh, Predicate<String> present, BiConsumer<String, String> sink) {
    requireNonNull(mesh, "mesh");
    requireNonNull(present, "present");
    requireNonNull(sink, "sink");
    RequestContext.current().forEach((name, value) -> {
      if (!present.test(name)) {
        sink.accept(name, value);
      }
    });
    InternalMesh.peerHeaders(mesh).forEach((name, value) -> {
      if (!present.test(name)) {
        sink.accept(name, value);
      }
    });
  }
}
