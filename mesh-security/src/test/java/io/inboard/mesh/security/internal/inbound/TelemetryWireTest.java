package io.inboard.mesh.security.internal.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetrySource;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Telemetry part of the virtualInbound listener's metadata: what the control plane writes
 * reads back the same, and a listener whose Telemetry is malformed or does not compile is
 * refused whole, naming where.
 */
class TelemetryWireTest {
  static final TraceExporter OTEL = new TraceExporter("otel", TraceExporter.Kind.OTLP_HTTP,
      URI.create("http://otel:4318/v1/traces"));
  static final TelemetrySource MESH = new TelemetrySource("istio-system", "mesh",
      Map.of("tracing", List.of(Map.of("providers", List.of(Map.of("name", "otel")),
          "randomSamplingPercentage", 100))));

  static Listener listener(Struct ours) {
    return Listener.newBuilder().setName("virtualInbound").setMetadata(Metadata.newBuilder()
        .putFilterMetadata("io.inboard.mesh", ours)).build();
  }

  @Test
  void writtenSourcesAndExportersReadBackAndCompile() {
    Struct ours = TelemetryWire.write(Struct.newBuilder(), List.of(MESH), List.of(OTEL)).build();

    assertThat(TelemetryWire.telemetry(ours)).containsExactly(new TelemetrySource(
        "istio-system", "mesh", Map.of("tracing", List.of(Map.of(
            "providers", List.of(Map.of("name", "otel")), "randomSamplingPercentage", 100L)))));
    assertThat(TelemetryWire.exporters(ours)).containsExactly(OTEL);
    TelemetryPolicy p = VirtualInboundPolicy.telemetry(listener(ours));
    assertThat(p.server().tracing().samplingPercentage()).isEqualTo(100.0);
    assertThat(p.exporters()).containsExactly(OTEL);
    assertThat(VirtualInboundPolicy.problem(listener(ours))).isNull();
  }

  @Test
  void listenerWithoutTelemetryKeysHasTheDefaultPolicy() {
    assertThat(VirtualInboundPolicy.telemetry(listener(Struct.getDefaultInstance())))
        .isEqualTo(TelemetryPolicy.DEFAULT);
  }

  @Test
  void telemetryThatDoesNotCompileMakesTheListenerAProblem() {
    Struct ours = TelemetryWire.write(Struct.newBuilder(), List.of(new TelemetrySource(
        "default", "bad", Map.of("accessLogging", List.of(Map.of("disabled", "yes"))))),
        List.of()).build();
    assertThat(VirtualInboundPolicy.problem(listener(ours))).isEqualTo("listener"
        + " 'virtualInbound' metadata.filter_metadata['io.inboard.mesh'].Telemetry default/bad:"
        + " spec.accessLogging[0].disabled: 'yes' (expected: true or false)");
  }

  @Test
  void malformedEntriesAreNamed() {
    Struct notList = Struct.newBuilder().putFields(TelemetryWire.TELEMETRY,
        Value.newBuilder().setStringValue("x").build()).build();
    assertThatThrownBy(() -> TelemetryWire.telemetry(notList))
        .hasMessage("telemetry: STRING_VALUE (expected: a list of {namespace, name, spec})");

    Struct badKind = Struct.newBuilder().putFields(TelemetryWire.TRACE_EXPORTERS,
        Value.newBuilder().setListValue(ListValue.newBuilder().addValues(Value.newBuilder()
            .setStructValue(Struct.newBuilder()
                .putFields("provider", Value.newBuilder().setStringValue("j").build())
                .putFields("kind", Value.newBuilder().setStringValue("JAEGER").build())
                .putFields("endpoint", Value.newBuilder().setStringValue("http://j").build()))))
            .build()).build();
    assertThatThrownBy(() -> TelemetryWire.exporters(badKind)).hasMessage(
        "traceExporters[0].kind: 'JAEGER' (expected: one of [ZIPKIN, OTLP_HTTP, OTLP_GRPC])");
  }
}
