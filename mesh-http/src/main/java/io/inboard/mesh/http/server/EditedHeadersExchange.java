package io.inboard.mesh.http.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import io.inboard.mesh.security.internal.jwt.HeaderChange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * The exchange the handler sees after the JWT step changed its request headers. The JDK server's
 * request headers cannot be changed in place, so the exchange is wrapped; everything but the
 * request headers is the original's.
 */
class EditedHeadersExchange extends HttpExchange {
  private final HttpExchange original;
  private final Headers headers = new Headers();

  private EditedHeadersExchange(HttpExchange original, List<HeaderChange> changes) {
    this.original = original;
    headers.putAll(original.getRequestHeaders());
    for (HeaderChange c : changes) {
      headers.remove(c.name());
      if (c.value() != null) {
        headers.set(c.name(), c.value());
      }
    }
  }

  /** {@code original} with {@code changes} made to its request headers; HTTPS stays HTTPS. */
  static HttpExchange of(HttpExchange original, List<HeaderChange> changes) {
    if (changes.isEmpty()) {
      return original;
    }
    EditedHeadersExchange edited = new EditedHeadersExchange(original, changes);
    return original instanceof HttpsExchange https ? new Https(edited, https) : edited;
  }

  @Override public Headers getRequestHeaders() { return headers; }
  @Override public Headers getResponseHeaders() { return original.getResponseHeaders(); }
  @Override public URI getRequestURI() { return original.getRequestURI(); }
  @Override public String getRequestMethod() { return original.getRequestMethod(); }
  @Override public HttpContext getHttpContext() { return original.getHttpContext(); }
  @Override public void close() { original.close(); }
  @Override public InputStream getRequestBody() { return original.getRequestBody(); }
  @Override public OutputStream getResponseBody() { return original.getResponseBody(); }
  @Override public void sendResponseHeaders(int code, long length) throws IOException {
    original.sendResponseHeaders(code, length);
  }
  @Override public InetSocketAddress getRemoteAddress() { return original.getRemoteAddress(); }
  @Override public int getResponseCode() { return original.getResponseCode(); }
  @Override public InetSocketAddress getLocalAddress() { return original.getLocalAddress(); }
  @Override public String getProtocol() { return original.getProtocol(); }
  @Override public Object getAttribute(String name) { return original.getAttribute(name); }
  @Override public void setAttribute(String name, Object value) {
    original.setAttribute(name, value);
  }
  @Override public void setStreams(InputStream i, OutputStream o) { original.setStreams(i, o); }
  @Override public HttpPrincipal getPrincipal() { return original.getPrincipal(); }

  /** The HTTPS form: the same, plus the original's TLS session. */
  private static final class Https extends HttpsExchange {
    private final EditedHeadersExchange edited;
    private final HttpsExchange original;

    Https(EditedHeadersExchange edited, HttpsExchange original) {
      this.edited = edited;
      this.original = original;
    }

    @Override public SSLSession getSSLSession() { return original.getSSLSession(); }
    @Override public Headers getRequestHeaders() { return edited.getRequestHeaders(); }
    @Override public Headers getResponseHeaders() { return edited.getResponseHeaders(); }
    @Override public URI getRequestURI() { return edited.getRequestURI(); }
    @Override public String getRequestMethod() { return edited.getRequestMethod(); }
    @Override public HttpContext getHttpContext() { return edited.getHttpContext(); }
    @Override public void close() { edited.close(); }
    @Override public InputStream getRequestBody() { return edited.getRequestBody(); }
    @Override public OutputStream getResponseBody() { return edited.getResponseBody(); }
    @Override public void sendResponseHeaders(int code, long length) throws IOException {
      edited.sendResponseHeaders(code, length);
    }
    @Override public InetSocketAddress getRemoteAddress() { return edited.getRemoteAddress(); }
    @Override public int getResponseCode() { return edited.getResponseCode(); }
    @Override public InetSocketAddress getLocalAddress() { return edited.getLocalAddress(); }
    @Override public String getProtocol() { return edited.getProtocol(); }
    @Override public Object getAttribute(String name) { return edited.getAttribute(name); }
    @Override public void setAttribute(String name, Object value) {
      edited.setAttribute(name, value);
    }
    @Override public void setStreams(InputStream i, OutputStream o) { edited.setStreams(i, o); }
    @Override public HttpPrincipal getPrincipal() { return edited.getPrincipal(); }
  }
}
