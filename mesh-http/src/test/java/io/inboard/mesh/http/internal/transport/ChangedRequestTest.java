package io.inboard.mesh.http.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A route's header changes and a mirror's shadow names are laid over the caller's request, in
 * Envoy's order (remove, then overwrite, then append), without copying it.
 */
class ChangedRequestTest {

  private final ViewOnlyRequest caller = new ViewOnlyRequest(URI.create("http://reviews/r/0"),
      List.of(
      "x-keep", "k", "x-set", "old", "x-remove", "gone", "x-append", "first", "x-append",
      "second", "X-Upper", "u"));

  @Test
  void removeThenSetThenAppend_asEnvoyAppliesThem() {
    HttpRequest changed = ChangedRequest.of(caller, Map.of("x-set", "new", "x-new", "n"),
        Map.of("x-append", "third", "x-remove", "again"), List.of("x-remove", "x-upper"));

    assertThat(Requests.header(changed, "x-keep")).isEqualTo("k");
    assertThat(Requests.header(changed, "x-set")).isEqualTo("new");
    assertThat(Requests.headers(changed, "x-set")).containsExactly("new");
    assertThat(Requests.header(changed, "x-new")).isEqualTo("n");
    assertThat(Requests.headers(changed, "x-append")).containsExactly("first", "second", "third");
    // removed first, then added again
    assertThat(Requests.headers(changed, "x-remove")).containsExactly("again");
    assertThat(Requests.header(changed, "x-upper")).isNull();

    Map<String, List<String>> sent = new LinkedHashMap<>();
    Requests.forEachHeader(changed,
        (n, v) -> sent.computeIfAbsent(n, k -> new ArrayList<>()).add(v));
    assertThat(sent).containsOnlyKeys("x-keep", "x-set", "x-new", "x-append", "x-remove");
    assertThat(sent.get("x-set")).containsExactly("new");
    assertThat(sent.get("x-append")).containsExactly("first", "second", "third");
    assertThat(sent.get("x-remove")).containsExactly("again");
    // the JDK form agrees with the view
    assertThat(changed.headers().allValues("x-append")).containsExactly("first", "second",
        "third");
    assertThat(changed.headers().firstValue("x-upper")).isEmpty();

    assertThat(caller.headersCalls).as("reads of the caller's JDK headers (a copy)").isZero();
    assertThat(changed.uri()).isEqualTo(caller.uri());
    assertThat(changed.method()).isEqualTo("GET");
  }

  @Test
  void noChangeForAName_readsTheCallersValuesThemselves() {
    HttpRequest changed = ChangedRequest.of(caller, Map.of("x-set", "new"), Map.of(),
        List.of());

    assertThat(Requests.headers(changed, "x-append")).containsExactly("first", "second");
    assertThat(Requests.header(changed, "x-missing")).isNull();
    assertThat(caller.headersCalls).isZero();
  }
}
