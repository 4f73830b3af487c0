package io.inboard.examples.bookinfo.reviews;

import io.grpc.Server;
import io.inboard.mesh.grpc.MeshGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.inboard.examples.bookinfo.RunningWorkload;
import io.inboard.examples.bookinfo.Workload;
import io.inboard.examples.bookinfo.WorkloadOptions;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.http.MeshHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A reviews workload (v1, v2 or v3): the gRPC service plus gRPC health, in its own mesh. */
public final class ReviewsWorkload implements RunningWorkload {

  private final Workload workload;
  private final Mesh mesh;
  private final Server server;

  private ReviewsWorkload(Workload workload, Mesh mesh, Server server) {
    this.workload = workload;
    this.mesh = mesh;
    this.server = server;
  }

  /**
   * Starts reviews {@code w} with {@code mesh}, which it then owns.
   *
   * @throws IllegalArgumentException if {@code w} is not a reviews workload
   */
  public static ReviewsWorkload start(Workload w, WorkloadOptions o, Mesh mesh) {
    ReviewsService service = switch (w) {
      case REVIEWS_V1 -> new ReviewsService(w, null, "");
      case REVIEWS_V2 -> new ReviewsService(w,
          new RatingsClient(MeshHttpClient.of(mesh), o.port(), Duration.ofSeconds(10)), "black");
      case REVIEWS_V3 -> new ReviewsService(w,
          new RatingsClient(MeshHttpClient.of(mesh), o.port(), Duration.ofMillis(2500)), "red");
      default -> throw new IllegalArgumentException("workload: " + w.workloadName()
          + " (expected: reviews-v1, reviews-v2 or reviews-v3)");
    };
    HealthStatusManager health = new HealthStatusManager();
    try {
      // the mesh's server: mTLS per PeerAuthentication, its interceptor on every service
      Server server = MeshGrpc.serverBuilder(mesh, new InetSocketAddress(o.bind(), o.port()))
          .addService(service)
          .addService(health.getHealthService())
          .build()
          .start();
      return new ReviewsWorkload(w, mesh, server);
    } catch (IOException e) {
      mesh.close();
      throw new UncheckedIOException(w.workloadName() + ": cannot listen on " + o.bind() + ":"
          + o.port() + " (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      mesh.close();
      throw e;
    }
  }

  @Override
  public Workload workload() {
    return workload;
  }

  @Override
  public Mesh mesh() {
    return mesh;
  }

  @Override
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    mesh.close();
  }
}
