package io.inboard.examples.bookinfo.productpage;

import io.inboard.mesh.api.Mesh;
import jakarta.servlet.http.HttpServlet;

/** Builds productpage's servlet for a mesh. */
public final class ProductPage {

  private ProductPage() {}

  /** The servlet, calling details, reviews and ratings on {@code port} through {@code mesh}. */
  public static HttpServlet servlet(Mesh mesh, int port) {
    return new ProductPageServlet(new Backends(mesh, port));
  }
}
