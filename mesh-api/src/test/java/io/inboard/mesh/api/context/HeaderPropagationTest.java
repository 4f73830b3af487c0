package io.inboard.mesh.api.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderPropagationTest {

  @Test
  void extract_requestWithoutId_generatesUuid() {
    RequestContext ctx = HeaderPropagation.DEFAULT.extract(name -> null);
    assertThat(ctx.requestId()).matches(
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(HeaderPropagation.DEFAULT.extract(name -> null).requestId())
        .isNotEqualTo(ctx.requestId());
  }

  @Test
  void extract_keepsTraceHeadersAndExtrasOnly() {
    HeaderPropagation p = new HeaderPropagation(List.of("End-User"));
    Map<String, String> inbound = Map.of("x-request-id", "r1", "traceparent",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "end-user", "jason",
        "cookie", "secret", "x-b3-sampled", "1");
    RequestContext ctx = p.extract(inbound::get);
    assertThat(ctx.headers()).containsOnlyKeys("x-request-id", "traceparent", "x-b3-sampled",
        "end-user");
    assertThat(ctx.header("end-user")).isEqualTo("jason");
  }

  @Test
  void headers_alwaysStartWithDefaults() {
    assertThat(new HeaderPropagation(List.of("end-user", "x-request-id")).headers())
        .startsWith(HeaderPropagation.DEFAULT_HEADERS.toArray(String[]::new))
        .endsWith("end-user")
        .doesNotHaveDuplicates();
  }

  @Test
  void propagating_hopByHopOrInvalidHeader_isRejectedWithName() {
    assertThatThrownBy(() -> new HeaderPropagation(List.of("Host")))
        .hasMessageContaining("propagateHeaders: 'Host'");
    assertThatThrownBy(() -> new HeaderPropagation(List.of("end user")))
        .hasMessageContaining("propagateHeaders: 'end user' (expected: an HTTP header name");
  }

  @Test
  void peerMetadataHeaders_areNeverPropagated_eachHopSendsItsOwn() {
    for (String h : List.of("x-inboard-peer", "X-Envoy-Peer-Metadata",
        "x-envoy-peer-metadata-id")) {
      assertThatThrownBy(() -> new HeaderPropagation(List.of(h)))
          .hasMessageContaining("propagateHeaders: '" + h + "'")
          .hasMessageContaining("mesh headers are not propagated");
    }
  }
}
