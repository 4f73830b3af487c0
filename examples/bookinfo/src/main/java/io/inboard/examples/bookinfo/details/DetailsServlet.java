package io.inboard.examples.bookinfo.details;

import io.inboard.examples.bookinfo.JsonServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * details: {@code GET /details/{id}} answers the book's details as JSON (Istio's
 * {@code details-v1} fields and values); {@code GET /health}.
 */
public final class DetailsServlet extends JsonServlet {

  private final int responseDelayMillis;

  /** @param responseDelayMillis how long each details answer waits first (0: none) */
  public DetailsServlet(int responseDelayMillis) {
    this.responseDelayMillis = responseDelayMillis;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    OptionalInt id = productRequest(req, res, "/details/", "Details is healthy",
        "please provide numeric product id");
    if (id.isEmpty()) {
      return;
    }
    if (responseDelayMillis > 0) {
      try {
        Thread.sleep(responseDelayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    json(res, 200, details(id.getAsInt()));
  }

  static Map<String, Object> details(int id) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("id", id);
    d.put("author", "William Shakespeare");
    d.put("year", 1595);
    d.put("type", "paperback");
    d.put("pages", 200);
    d.put("publisher", "PublisherA");
    d.put("language", "English");
    d.put("ISBN-10", "1234567890");
    d.put("ISBN-13", "123-1234567890");
    return d;
  }
}
