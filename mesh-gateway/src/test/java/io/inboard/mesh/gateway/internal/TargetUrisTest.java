package io.inboard.mesh.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URISyntaxException;
import org.junit.jupiter.api.Test;

class TargetUrisTest {

  @Test
  void sameAuthorityAndTarget_giveTheSameParsedUri() throws Exception {
    TargetUris uris = new TargetUris("http://");

    URI first = uris.uri("bookinfo.example:8080", "/productpage?u=normal");
    URI again = uris.uri(new String("bookinfo.example:8080"), new String("/productpage?u=normal"));

    assertThat(again).isSameAs(first);
    assertThat(first).isEqualTo(URI.create("http://bookinfo.example:8080/productpage?u=normal"));
    assertThat(first.getRawQuery()).isEqualTo("u=normal");
  }

  @Test
  void schemeAuthorityAndTarget_eachMakeTheirOwnUri() throws Exception {
    assertThat(TargetUris.of(true).uri("a", "/x")).isEqualTo(URI.create("https://a/x"));
    assertThat(TargetUris.of(false).uri("a", "/x")).isEqualTo(URI.create("http://a/x"));
    TargetUris uris = new TargetUris("http://");
    assertThat(uris.uri("a", "/x")).isNotEqualTo(uris.uri("b", "/x"))
        .isNotEqualTo(uris.uri("a", "/y"));
  }

  @Test
  void invalidTarget_failsAsTheParserDoes_andIsNotKept() {
    TargetUris uris = new TargetUris("http://");

    assertThatThrownBy(() -> uris.uri("a", "/bad path"))
        .isInstanceOf(URISyntaxException.class);
    assertThat(uris.targets("a")).isZero();
  }

  @Test
  void manyDistinctTargetsOrAuthorities_neverGrowPastTheBounds() throws Exception {
    TargetUris uris = new TargetUris("http://");

    for (int i = 0; i < TargetUris.MAX_TARGETS * 3; i++) {
      uris.uri("a", "/item/" + i);
    }
    for (int i = 0; i < TargetUris.MAX_AUTHORITIES * 3; i++) {
      uris.uri("host-" + i, "/");
    }

    assertThat(uris.targets("a")).isLessThanOrEqualTo(TargetUris.MAX_TARGETS);
    assertThat(uris.authorities()).isLessThanOrEqualTo(TargetUris.MAX_AUTHORITIES);
  }
}
