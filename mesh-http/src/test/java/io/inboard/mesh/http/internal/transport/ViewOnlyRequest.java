package io.inboard.mesh.http.internal.transport;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A caller's GET whose headers are readable as a {@link HeaderView}; counts the reads of its
 * JDK form ({@code headers()}), which only a copy through the JDK's request builder makes.
 */
final class ViewOnlyRequest extends LayeredRequest {
  private final List<String> pairs;
  volatile int headersCalls;

  /** @param pairs header names and values: name, value, name, value, ... */
  ViewOnlyRequest(URI uri, List<String> pairs) {
    super(HttpRequest.newBuilder(uri).GET().build());
    this.pairs = pairs;
  }

  @Override
  public String firstHeader(String lowerName) {
    List<String> all = allHeaders(lowerName);
    return all.isEmpty() ? null : all.get(0);
  }

  @Override
  public List<String> allHeaders(String lowerName) {
    List<String> out = new ArrayList<>();
    forEachHeader((n, v) -> {
      if (FlatHeaders.lower(n).equals(lowerName)) {
        out.add(v);
      }
    });
    return out;
  }

  @Override
  public void forEachHeader(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.size(); i += 2) {
      action.accept(pairs.get(i), pairs.get(i + 1));
    }
  }

  @Override
  public boolean headersValidated() {
    return false;
  }

  @Override
  public HttpHeaders headers() {
    headersCalls++;
    return super.headers();
  }
}
