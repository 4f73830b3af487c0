package io.inboard.mesh.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * A declarative client method that returns a body ({@code String}, {@code byte[]} or nothing)
 * got a response outside 2xx, after any retries. Methods that return {@code HttpResponse}
 * never throw this; they hand the response back instead.
 */
public final class MeshHttpStatusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String body;
  private final String method;
  private final URI uri;

  /**
   * @param method the request method, for example {@code GET}
   * @param uri the logical URI called, for example {@code http://reviews:9080/reviews/0}
   * @param status the response status
   * @param body the response body decoded as UTF-8, {@code ""} when there was none
   */
  public MeshHttpStatusException(String method, URI uri, int status, String body) {
    super(requireNonNull(method, "method") + " " + requireNonNull(uri, "uri") + ": status "
        + status + " (expected: 2xx)");
    this.method = method;
    this.uri = uri;
    this.status = status;
    this.body = requireNonNull(body, "body");
  }

  /** The response status, for example {@code 503}. */
  public int status() {
    return status;
  }

  /** The response body decoded as UTF-8; {@code ""} when there was none. */
  public String body() {
    return body;
  }

  /** The request method. */
  public String method() {
    return method;
  }

  /** The logical URI called (the service name, not the endpoint's address). */
  public URI uri() {
    return uri;
  }
}
