package io.inboard.examples.bookinfo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;

/** Base for the JSON services: writing a JSON answer, and reading a product id from a path. */
public abstract class JsonServlet extends HttpServlet {

  protected static void json(HttpServletResponse res, int status, Object body)
      throws IOException {
    res.setStatus(status);
    res.setContentType("application/json");
    res.setCharacterEncoding("UTF-8");
    Json.MAPPER.writeValue(res.getWriter(), body);
  }

  protected static void error(HttpServletResponse res, int status, String message)
      throws IOException {
    json(res, status, Map.of("error", message));
  }

  /**
   * The common shape of the JSON services: answers {@code GET /health} with
   * {@code healthStatus}, a path outside {@code prefix} with 404, and a non-numeric id with 400
   * ({@code badId}); returns the product id of {@code GET <prefix><id>}, or empty when it
   * answered already.
   */
  protected static OptionalInt productRequest(HttpServletRequest req, HttpServletResponse res,
      String prefix, String healthStatus, String badId) throws IOException {
    String path = req.getRequestURI();
    if (path.equals("/health")) {
      json(res, 200, Map.of("status", healthStatus));
      return OptionalInt.empty();
    }
    if (!path.startsWith(prefix)) {
      error(res, 404, "not found: " + path + " (expected: " + prefix + "{id} or /health)");
      return OptionalInt.empty();
    }
    OptionalInt id = productId(path, prefix);
    if (id.isEmpty()) {
      error(res, 400, badId);
    }
    return id;
  }

  /** The numeric id after {@code prefix} in {@code path}, if that is all that follows. */
  protected static OptionalInt productId(String path, String prefix) {
    if (path == null || !path.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(path.substring(prefix.length())));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
