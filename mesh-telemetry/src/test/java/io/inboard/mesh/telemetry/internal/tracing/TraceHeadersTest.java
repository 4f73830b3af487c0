package io.inboard.mesh.telemetry.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.telemetry.internal.tracing.ParentContext.Sampling;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  static Stream<Arguments> headerSets() {
    return Stream.of(
        Arguments.of("w3c sampled", Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01"),
            new ParentContext(TRACE, SPAN, Sampling.SAMPLED, null)),
        Arguments.of("w3c unsampled with state",
            Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-00", "tracestate", "vendor=x"),
            new ParentContext(TRACE, SPAN, Sampling.NOT_SAMPLED, "vendor=x")),
        Arguments.of("w3c future version with more fields",
            Map.of("traceparent", "01-" + TRACE + "-" + SPAN + "-01-extra"),
            new ParentContext(TRACE, SPAN, Sampling.SAMPLED, null)),
        Arguments.of("b3 single with decision",
            Map.of("b3", TRACE + "-" + SPAN + "-1-" + "0000000000000001"),
            new ParentContext(TRACE, SPAN, Sampling.SAMPLED, null)),
        Arguments.of("b3 single debug", Map.of("b3", TRACE + "-" + SPAN + "-d"),
            new ParentContext(TRACE, SPAN, Sampling.SAMPLED, null)),
        Arguments.of("b3 single without decision defers", Map.of("b3", TRACE + "-" + SPAN),
            new ParentContext(TRACE, SPAN, Sampling.DEFERRED, null)),
        Arguments.of("b3 single deny only", Map.of("b3", "0"),
            new ParentContext(null, null, Sampling.NOT_SAMPLED, null)),
        Arguments.of("b3 multi 64-bit id is padded",
            Map.of("x-b3-traceid", "a3ce929d0e0e4736", "x-b3-spanid", SPAN, "x-b3-sampled", "1"),
            new ParentContext("0000000000000000a3ce929d0e0e4736", SPAN, Sampling.SAMPLED, null)),
        Arguments.of("b3 multi debug flag samples",
            Map.of("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "0",
                "x-b3-flags", "1"),
            new ParentContext(TRACE, SPAN, Sampling.SAMPLED, null)),
        Arguments.of("b3 multi upper case ids are read",
            Map.of("x-b3-traceid", TRACE.toUpperCase(), "x-b3-spanid", SPAN.toUpperCase(),
                "x-b3-sampled", "true"),
            new ParentContext(TRACE, SPAN, Sampling.SAMPLED, null)),
        Arguments.of("b3 multi decision only", Map.of("x-b3-sampled", "0"),
            new ParentContext(null, null, Sampling.NOT_SAMPLED, null)),
        Arguments.of("w3c wins over b3",
            Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-00",
                "b3", "11111111111111111111111111111111-2222222222222222-1",
                "x-b3-traceid", "33333333333333333333333333333333",
                "x-b3-spanid", "4444444444444444", "x-b3-sampled", "1"),
            new ParentContext(TRACE, SPAN, Sampling.NOT_SAMPLED, null)),
        Arguments.of("b3 single wins over multi",
            Map.of("b3", TRACE + "-" + SPAN + "-0",
                "x-b3-traceid", "33333333333333333333333333333333",
                "x-b3-spanid", "4444444444444444", "x-b3-sampled", "1"),
            new ParentContext(TRACE, SPAN, Sampling.NOT_SAMPLED, null)),
        Arguments.of("invalid w3c falls back to b3",
            Map.of("traceparent", "00-" + "0".repeat(32) + "-" + SPAN + "-01",
                "x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "0"),
            new ParentContext(TRACE, SPAN, Sampling.NOT_SAMPLED, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headerSets")
  void extract_readsParentAndDecision(String name, Map<String, String> headers,
      ParentContext expected) {
    assertThat(TraceHeaders.extract(headers)).isEqualTo(expected);
  }

  @Test
  void extract_invalidOrMissingHeadersGiveNoParent() {
    assertThat(TraceHeaders.extract(Map.of())).isNull();
    assertThat(TraceHeaders.extract(Map.of("traceparent", "ff-" + TRACE + "-" + SPAN + "-01")))
        .isNull();
    assertThat(TraceHeaders.extract(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01-x")))
        .isNull();
    assertThat(TraceHeaders.extract(Map.of("b3", "nonsense"))).isNull();
    assertThat(TraceHeaders.extract(Map.of("x-b3-traceid", TRACE))).isNull();
  }

  @Test
  void inject_writesW3cAndB3Multi() {
    Map<String, String> out = new LinkedHashMap<>();
    TraceHeaders.inject(TRACE, SPAN, "1111111111111111", true, "v=1", out::put);

    assertThat(out).containsExactly(
        Map.entry("traceparent", "00-" + TRACE + "-" + SPAN + "-01"),
        Map.entry("tracestate", "v=1"),
        Map.entry("x-b3-traceid", TRACE),
        Map.entry("x-b3-spanid", SPAN),
        Map.entry("x-b3-parentspanid", "1111111111111111"),
        Map.entry("x-b3-sampled", "1"));
  }

  @Test
  void rewrite_replacesTraceHeadersAndKeepsTheRestInOrder() {
    Map<String, String> in = new LinkedHashMap<>();
    in.put("x-request-id", "rid");
    in.put("traceparent", "00-" + TRACE + "-" + SPAN + "-01");
    in.put("x-b3-flags", "1");
    in.put("b3", TRACE + "-" + SPAN + "-1");
    in.put("baggage", "k=v");
    in.put("end-user", "jason");
    RequestContext inbound = new RequestContext(in, "spiffe://cluster.local/ns/a/sa/b");

    RequestContext out = TraceHeaders.rewrite(inbound, TRACE, "2222222222222222", SPAN, false,
        null);

    assertThat(out.peerPrincipal()).isEqualTo("spiffe://cluster.local/ns/a/sa/b");
    assertThat(List.copyOf(out.headers().keySet())).containsExactly("x-request-id",
        "traceparent", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled",
        "baggage", "end-user");
    assertThat(out.header("traceparent")).isEqualTo("00-" + TRACE + "-2222222222222222-00");
    assertThat(out.header("x-b3-parentspanid")).isEqualTo(SPAN);
    assertThat(out.header("x-b3-sampled")).isEqualTo("0");
    assertThat(out.header("end-user")).isEqualTo("jason");
  }
}
