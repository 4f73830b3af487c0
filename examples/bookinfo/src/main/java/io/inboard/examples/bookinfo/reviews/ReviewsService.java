package io.inboard.examples.bookinfo.reviews;

import io.grpc.stub.StreamObserver;
import io.inboard.examples.bookinfo.Workload;
import io.inboard.examples.bookinfo.reviews.proto.GetReviewsRequest;
import io.inboard.examples.bookinfo.reviews.proto.ProductReviews;
import io.inboard.examples.bookinfo.reviews.proto.Rating;
import io.inboard.examples.bookinfo.reviews.proto.Review;
import io.inboard.examples.bookinfo.reviews.proto.ReviewsGrpc;
import java.util.Map;
import java.util.Objects;

/**
 * reviews: the two reviews of the book. v1 shows no ratings; v2 (black stars) and v3 (red
 * stars) fetch them from ratings, and show Istio's "Ratings service is currently unavailable"
 * when that fails. The answer never waits on a thread: it is sent when ratings answer.
 */
final class ReviewsService extends ReviewsGrpc.ReviewsImplBase {

  static final String RATINGS_UNAVAILABLE = "Ratings service is currently unavailable";

  private static final Map<String, String> REVIEWS = Map.of(
      "Reviewer1",
      "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!",
      "Reviewer2",
      "Absolutely fun and entertaining. The play lacks thematic depth when compared to other"
          + " plays by Shakespeare.");

  private final Workload workload;
  private final RatingsClient ratings; // null in v1
  private final String starColor;
  private final String podName;
  private final String clusterName;

  ReviewsService(Workload workload, RatingsClient ratings, String starColor) {
    this.workload = workload;
    this.ratings = ratings;
    this.starColor = starColor;
    this.podName = Objects.requireNonNullElse(System.getenv("HOSTNAME"), workload.workloadName());
    this.clusterName = Objects.requireNonNullElse(System.getenv("CLUSTER_NAME"), "null");
  }

  @Override
  public void getReviews(GetReviewsRequest request, StreamObserver<ProductReviews> out) {
    int id = request.getProductId();
    if (ratings == null) {
      send(out, reply(id, null, null));
      return;
    }
    ratings.ratings(id).whenComplete((stars, error) -> send(out, reply(id, stars, error)));
  }

  private static void send(StreamObserver<ProductReviews> out, ProductReviews reply) {
    out.onNext(reply);
    out.onCompleted();
  }

  private ProductReviews reply(int id, Map<String, Integer> stars, Throwable ratingsError) {
    ProductReviews.Builder b = ProductReviews.newBuilder().setId(id).setPodname(podName)
        .setClustername(clusterName).setVersion(workload.version());
    for (String reviewer : new String[] {"Reviewer1", "Reviewer2"}) {
      Review.Builder r = Review.newBuilder().setReviewer(reviewer).setText(REVIEWS.get(reviewer));
      if (ratings != null) {
        Integer s = stars == null ? null : stars.get(reviewer);
        r.setRating(s != null
            ? Rating.newBuilder().setStars(s).setColor(starColor).build()
            : Rating.newBuilder().setError(RATINGS_UNAVAILABLE).build());
      }
      b.addReviews(r);
    }
    return b.build();
  }
}
