package io.inboard.e2e;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One of the mesh's two clients, reduced to what the conformance table needs: send a call to a
 * service with a path and headers, and say who answered and how it ended.
 */
interface DataPlane {

  /** The two data planes of the table. */
  enum Kind { GRPC, HTTP }

  Kind kind();

  /**
   * Starts one call to {@code service}'s port for this plane. {@code path} is a gRPC method path
   * ({@link #UNARY} or {@link #STREAMING}); the HTTP plane sends it as the URI path, so one
   * VirtualService URI match fits both planes. The future never fails: errors are outcomes.
   */
  CompletableFuture<Outcome> call(String service, String path, Map<String, String> headers);

  /** The unary method's path, {@code /grpc.testing.SimpleService/UnaryRpc}. */
  String UNARY = "/grpc.testing.SimpleService/UnaryRpc";
  /** The server-streaming method's path. */
  String STREAMING = "/grpc.testing.SimpleService/ServerStreamingRpc";
}
