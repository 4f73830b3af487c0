package io.inboard.examples.bookinfo;

import io.inboard.examples.bookinfo.details.DetailsServlet;
import io.inboard.examples.bookinfo.productpage.ProductPage;
import io.inboard.examples.bookinfo.ratings.RatingsServlet;
import io.inboard.examples.bookinfo.reviews.ReviewsWorkload;
import io.inboard.mesh.grpc.MeshGrpc;

/** Starts any bookinfo workload. Each runs in its own {@code Mesh}, several may share a JVM. */
public final class Workloads {

  private Workloads() {}

  /**
   * Starts {@code w} with {@code o}: its mesh (connecting to the control plane and registering
   * the workload) and its server.
   *
   * @throws IllegalStateException if its port cannot be bound
   */
  public static RunningWorkload start(Workload w, WorkloadOptions o) {
    if (o.failPercent() > 0 && w != Workload.RATINGS_V1) {
      throw new IllegalArgumentException("--fail-percent: " + o.failPercent() + " for "
          + w.workloadName() + " (expected: only ratings-v1 can be made to fail)");
    }
    if (o.responseDelayMillis() > 0 && w != Workload.DETAILS_V1) {
      throw new IllegalArgumentException("--response-delay-ms: " + o.responseDelayMillis()
          + " for " + w.workloadName() + " (expected: only details-v1 can be slowed)");
    }
    RunningWorkload running = switch (w) {
      case PRODUCTPAGE_V1 -> HttpWorkload.start(w, o, mesh -> ProductPage.servlet(mesh, o.port()));
      case DETAILS_V1 -> HttpWorkload.start(w, o, mesh -> new DetailsServlet(o.responseDelayMillis()));
      case RATINGS_V1 -> HttpWorkload.start(w, o, mesh -> new RatingsServlet(o.failPercent()));
      case REVIEWS_V1, REVIEWS_V2, REVIEWS_V3 ->
          ReviewsWorkload.start(w, o, BookinfoMesh.of(w, o));
    };
    // Connect now, once the server listens: the control plane registers a workload when it
    // connects, and details, ratings and reviews-v1 call nobody, so would never connect.
    try {
      MeshGrpc.announce(running.mesh());
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
    return running;
  }
}
