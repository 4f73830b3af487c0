package io.inboard.examples.bookinfo.productpage;

import io.inboard.examples.bookinfo.reviews.proto.ProductReviews;
import io.inboard.examples.bookinfo.reviews.proto.Review;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reviews reply as the JSON of Istio's reviews service, plus the answering version. */
final class ReviewsJson {

  private ReviewsJson() {}

  static Map<String, Object> of(ProductReviews r) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", String.valueOf(r.getId()));
    body.put("podname", r.getPodname());
    body.put("clustername", r.getClustername());
    body.put("version", r.getVersion());
    List<Map<String, Object>> reviews = new ArrayList<>();
    for (Review review : r.getReviewsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("reviewer", review.getReviewer());
      m.put("text", review.getText());
      if (review.hasRating()) {
        Map<String, Object> rating = new LinkedHashMap<>();
        if (!review.getRating().getError().isEmpty()) {
          rating.put("error", review.getRating().getError());
        } else {
          rating.put("stars", review.getRating().getStars());
          rating.put("color", review.getRating().getColor());
        }
        m.put("rating", rating);
      }
      reviews.add(m);
    }
    body.put("reviews", reviews);
    return body;
  }
}
