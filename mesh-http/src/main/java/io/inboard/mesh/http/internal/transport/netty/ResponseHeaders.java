package io.inboard.mesh.http.internal.transport.netty;

import io.inboard.mesh.http.internal.transport.FlatHeaders;
import io.inboard.mesh.http.internal.transport.HeaderView;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A response's headers as Netty decoded them (HTTP/1.1, copied once into {@link FlatHeaders}),
 * or as the JDK's (HTTP/2, converted at once), converted to the JDK's only when something asks:
 * a proxy that copies them into its own response reads them through {@link HeaderView} and never
 * pays for the JDK's tree map.
 */
final class ResponseHeaders implements HeaderView {

  private final FlatHeaders flat;
  private volatile HttpHeaders jdk;

  private ResponseHeaders(FlatHeaders flat, HttpHeaders jdk) {
    this.flat = flat;
    this.jdk = jdk;
  }

  static ResponseHeaders of(io.netty.handler.codec.http.HttpHeaders netty) {
    FlatHeaders flat = new FlatHeaders(netty.size());
    for (Map.Entry<String, String> e : netty) {
      flat.addAnyCase(e.getKey(), e.getValue());
    }
    return new ResponseHeaders(flat, null);
  }

  static ResponseHeaders of(HttpHeaders jdk) {
    return new ResponseHeaders(null, jdk);
  }

  /** The JDK's form, built on first use. */
  HttpHeaders jdk() {
    HttpHeaders h = jdk;
    if (h == null) {
      h = flat.toJdk();
      jdk = h;
    }
    return h;
  }

  @Override
  public String firstHeader(String lowerName) {
    return flat != null ? flat.first(lowerName) : jdk.firstValue(lowerName).orElse(null);
  }

  @Override
  public List<String> allHeaders(String lowerName) {
    return flat != null ? flat.all(lowerName) : jdk.allValues(lowerName);
  }

  @Override
  public void forEachHeader(BiConsumer<String, String> action) {
    if (flat != null) {
      flat.forEach(action);
      return;
    }
    for (Map.Entry<String, List<String>> e : jdk.map().entrySet()) {
      for (String v : e.getValue()) {
        action.accept(e.getKey(), v);
      }
    }
  }

  @Override
  public boolean headersValidated() {
    return true; // decoded by Netty
  }
}
