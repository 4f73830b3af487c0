package io.inboard.examples.bookinfo;

import jakarta.servlet.http.HttpServlet;
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
