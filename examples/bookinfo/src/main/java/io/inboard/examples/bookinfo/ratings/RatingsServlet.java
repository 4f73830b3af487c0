package io.inboard.examples.bookinfo.ratings;

import io.inboard.examples.bookinfo.JsonServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ratings: {@code GET /ratings/{id}} answers each reviewer's stars as JSON; {@code GET /health}.
 * With a fail percentage it answers that share of rating requests with 500, for the retry task.
 * (Istio's {@code v-faulty} ratings answers 503; but Istio's default retry policy, which the
 * control plane serves to routes without one, already retries 503, so those failures would be
 * hidden even without the task's VirtualService.)
 */
public final class RatingsServlet extends JsonServlet {

  private final int failPercent;

  public RatingsServlet(int failPercent) {
    this.failPercent = failPercent;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    OptionalInt id = productRequest(req, res, "/ratings/", "Ratings is healthy",
        "please provide numeric product ID");
    if (id.isEmpty()) {
      return;
    }
    if (failPercent > 0 && ThreadLocalRandom.current().nextInt(100) < failPercent) {
      error(res, 500, "Internal Server Error");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id.getAsInt());
    body.put("ratings", Map.of("Reviewer1", 5, "Reviewer2", 4));
    json(res, 200, body);
  }
}
