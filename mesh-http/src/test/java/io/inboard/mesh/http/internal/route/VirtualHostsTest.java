package io.inboard.mesh.http.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Envoy's virtual host domain matching, most specific first. */
class VirtualHostsTest {

  private final VirtualHosts<String> hosts = VirtualHosts.<String>builder()
      .add("*", "any")
      .add("bookinfo.example.com", "exact")
      .add("*.example.com", "suffix")
      .add("*.eu.example.com", "longer-suffix")
      .add("api.*", "prefix")
      .add("api.example.*", "longer-prefix")
      .add("port.example.org:8443", "with-port")
      .build();

  @Test
  void exactBeatsSuffixBeatsPrefixBeatsAny() {
    assertThat(hosts.select("bookinfo.example.com")).isEqualTo("exact");
    assertThat(hosts.select("BookInfo.Example.com")).isEqualTo("exact");
    assertThat(hosts.select("reviews.example.com")).isEqualTo("suffix");
    assertThat(hosts.select("api.example.com")).isEqualTo("suffix");
    assertThat(hosts.select("api.example.net")).isEqualTo("longer-prefix");
    assertThat(hosts.select("api.other.net")).isEqualTo("prefix");
    assertThat(hosts.select("other.net")).isEqualTo("any");
  }

  @Test
  void theLongestWildcardWinsAndAWildcardNeedsAtLeastOneCharacter() {
    assertThat(hosts.select("a.eu.example.com")).isEqualTo("longer-suffix");
    assertThat(hosts.select(".example.com")).isEqualTo("any");
  }

  @Test
  void anAuthorityWithAPortMatchesAsWrittenFirstThenWithoutThePort() {
    assertThat(hosts.select("bookinfo.example.com:8080")).isEqualTo("exact");
    assertThat(hosts.select("port.example.org:8443")).isEqualTo("with-port");
    assertThat(hosts.select("port.example.org")).isEqualTo("any");
    assertThat(hosts.select("x.example.com:80")).isEqualTo("suffix");
  }

  @Test
  void withoutACatchAllAnUnknownHostSelectsNothing() {
    VirtualHosts<String> only = VirtualHosts.<String>builder().add("a.com", "a").build();
    assertThat(only.select("b.com")).isNull();
    assertThat(only.select(null)).isNull();
  }

  @Test
  void rejectsAWildcardInTheMiddle() {
    assertThatThrownBy(() -> VirtualHosts.<String>builder().add("a.*.com", "x"))
        .hasMessageContaining("a.*.com").hasMessageContaining("expected");
  }
}
