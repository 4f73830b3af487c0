package io.inboard.mesh.http.internal.transport;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * A request or response whose headers can be read without building the JDK's {@link
 * java.net.http.HttpHeaders}, which copies every header into a case-insensitive tree map: the
 * ingress gateway's requests (Netty's headers), each try's readdressed request and the Netty
 * transport's responses implement it, so that a proxied request's headers are copied once, into
 * the upstream head, and a response's once, into the downstream head. Read through {@link
 * Requests#header}, {@link Requests#headers} and {@link Requests#forEachHeader}, which fall back
 * to {@code headers()} for any other request or response.
 */
public interface HeaderView {

  /** The first value of header {@code lowerName} (in lower case), or {@code null}. */
  String firstHeader(String lowerName);

  /** Every value of header {@code lowerName} (in lower case), empty when none. */
  List<String> allHeaders(String lowerName);

  /** Hands each header to {@code action}, one call per value, in the order they were added. */
  void forEachHeader(BiConsumer<String, String> action);

  /**
   * Whether every header name and value was already checked (by Netty's decoder or the JDK's
   * request builder), so that a transport need not check them again.
   */
  boolean headersValidated();
}
