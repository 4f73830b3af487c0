package io.inboard.mesh.http.internal.transport;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.http.server.Propagation;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The caller's request with the headers a mesh call carries besides its own (the current
 * context's propagated headers and this workload's peer metadata) kept beside it instead of
 * merged into a copy. Each try wraps this in turn ({@link TryRequest}), so the caller's headers
 * are copied at most once per try: into the JDK's {@code HttpHeaders} when the JDK transport
 * asks for them, into the upstream head on the Netty transport. Before, the JDK's request
 * builder copied the whole request here, and each try copied it again.
 *
 * <p>A header the caller set wins: only names the caller's request lacks are added, as
 * {@link Propagation} does for the JDK's builder. The added headers are not checked here (the
 * JDK's builder used to check them), so {@link #headersValidated()} is {@code false} when
 * any were added: the JDK client checks them when a try is sent, the Netty transport re-checks.
 */
public final class PropagatedRequest extends LayeredRequest {

  private final FlatHeaders added;

  private PropagatedRequest(HttpRequest base, FlatHeaders added) {
    super(base);
    this.added = added;
  }

  /**
   * {@code request} with {@code mesh}'s outbound headers beside it; {@code request} itself when
   * there is nothing to add. Runs on the caller's thread, where the request context lives.
   */
  public static HttpRequest of(Mesh mesh, HttpRequest request) {
    requireNonNull(request, "request");
    FlatHeaders added = new FlatHeaders(4);
    Propagation.forEach(mesh, name -> Requests.header(request, FlatHeaders.lower(name)) != null,
        added::addAnyCase);
    return added.isEmpty() ? request : new PropagatedRequest(request, added);
  }

  /** The caller's request, as it was given (not a copy). */
  public HttpRequest base() {
    return base;
  }

  @Override
  public String firstHeader(String lowerName) {
    String v = Requests.header(base, lowerName);
    return v != null ? v : added.first(lowerName);
  }

  @Override
  public List<String> allHeaders(String lowerName) {
    // a name is either the caller's or added, never both
    List<String> own = Requests.headers(base, lowerName);
    return own.isEmpty() ? added.all(lowerName) : own;
  }

  @Override
  public void forEachHeader(BiConsumer<String, String> action) {
    Requests.forEachHeader(base, action);
    added.forEach(action);
  }

  @Override
  public boolean headersValidated() {
    return false;
  }
}
