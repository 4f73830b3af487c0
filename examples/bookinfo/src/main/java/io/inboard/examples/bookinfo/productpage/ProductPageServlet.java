package io.inboard.examples.bookinfo.productpage;

import io.inboard.examples.bookinfo.JsonServlet;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * productpage: the HTML page ({@code GET /productpage}), the login form, and the JSON API
 * ({@code /api/v1/products[/{id}[/reviews|/ratings]]}).
 *
 * <p>The user comes from {@code ?u=NAME}, else from the {@code user} cookie the login form
 * sets, else from an inbound {@code end-user} header. It is sent onwards as {@code end-user} on
 * every outbound call, by making it part of the request context the mesh propagates.
 */
public final class ProductPageServlet extends JsonServlet {

  static final String USER_COOKIE = "user";
  private static final String TITLE = "The Comedy of Errors";

  private final Backends backends;

  ProductPageServlet(Backends backends) {
    this.backends = backends;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getRequestURI();
    String user = user(req);
    try (Scope ignored = withEndUser(user).makeCurrent()) {
      switch (path) {
        case "/", "/index.html" -> html(res, 200, "<!DOCTYPE html><html><body><h1>Bookinfo on"
            + " Inboard</h1><p><a href=\"/productpage?u=normal\">Normal user</a> · <a href="
            + "\"/productpage?u=test\">Test user</a></p></body></html>");
        case "/productpage" -> html(res, 200, PageHtml.render(user, backends.details(0),
            backends.reviews(0)));
        case "/health" -> json(res, 200, Map.of("status", "Product page is healthy"));
        case "/logout" -> {
          Cookie c = new Cookie(USER_COOKIE, "");
          c.setMaxAge(0);
          c.setPath("/");
          res.addCookie(c);
          res.sendRedirect("/productpage");
        }
        case "/api/v1/products" -> json(res, 200, List.of(Map.of("id", 0, "title", TITLE,
            "descriptionHtml", "<a href=\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\">"
                + "Wikipedia Summary</a>")));
        default -> api(path, res);
      }
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (!req.getRequestURI().equals("/login")) {
      error(res, 405, "method POST not allowed on " + req.getRequestURI());
      return;
    }
    String name = req.getParameter("username");
    if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
      error(res, 400, "username: '" + (name == null ? "" : name)
          + "' (expected: 1-64 letters, digits or . _ @ -)");
      return;
    }
    Cookie c = new Cookie(USER_COOKIE, name);
    c.setPath("/");
    c.setHttpOnly(true);
    res.addCookie(c);
    res.sendRedirect("/productpage");
  }

  private void api(String path, HttpServletResponse res) throws IOException {
    String prefix = "/api/v1/products/";
    if (path.endsWith("/reviews")) {
      OptionalInt id = productId(path.substring(0, path.length() - 8), prefix);
      if (id.isPresent()) {
        var r = backends.reviews(id.getAsInt());
        if (r.isPresent()) {
          json(res, 200, ReviewsJson.of(r.get()));
        } else {
          error(res, 503, PageHtml.REVIEWS_UNAVAILABLE);
        }
        return;
      }
    } else if (path.endsWith("/ratings")) {
      OptionalInt id = productId(path.substring(0, path.length() - 8), prefix);
      if (id.isPresent()) {
        var r = backends.ratings(id.getAsInt());
        if (r.isPresent()) {
          json(res, 200, r.get());
        } else {
          error(res, 503, "Sorry, product ratings are currently unavailable for this book.");
        }
        return;
      }
    } else {
      OptionalInt id = productId(path, prefix);
      if (id.isPresent()) {
        var d = backends.details(id.getAsInt());
        if (d.isPresent()) {
          json(res, 200, d.get());
        } else {
          error(res, 503, PageHtml.DETAILS_UNAVAILABLE);
        }
        return;
      }
    }
    error(res, 404, "not found: " + path + " (expected: /productpage, /login, /logout,"
        + " /health, /api/v1/products or /api/v1/products/{id}[/reviews|/ratings])");
  }

  private static String user(HttpServletRequest req) {
    String u = req.getParameter("u");
    if (u != null && !u.isBlank()) {
      return u;
    }
    if (req.getCookies() != null) {
      for (Cookie c : req.getCookies()) {
        if (c.getName().equals(USER_COOKIE) && !c.getValue().isBlank()) {
          return c.getValue();
        }
      }
    }
    String header = RequestContext.current().header("end-user");
    return header == null ? "" : header;
  }

  /** The current request context plus {@code end-user} (none for an anonymous user). */
  private static RequestContext withEndUser(String user) {
    Map<String, String> headers = new LinkedHashMap<>(RequestContext.current().headers());
    if (user.isEmpty()) {
      headers.remove("end-user");
    } else {
      headers.put("end-user", user);
    }
    return new RequestContext(headers);
  }

  private static void html(HttpServletResponse res, int status, String body) throws IOException {
    res.setStatus(status);
    res.setContentType("text/html");
    res.setCharacterEncoding("UTF-8");
    res.getWriter().write(body);
  }
}
