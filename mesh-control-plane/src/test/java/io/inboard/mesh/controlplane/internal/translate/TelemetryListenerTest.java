package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import io.inboard.mesh.controlplane.internal.telemetry.MeshConfigFile;
import io.inboard.mesh.controlplane.internal.telemetry.TelemetryMeshConfig;
import io.inboard.mesh.security.internal.inbound.TelemetryWire;
import io.inboard.mesh.security.internal.inbound.VirtualInboundPolicy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A workload's virtualInbound listener carries the Telemetries that apply to it, in
 * precedence order, and the mesh config's tracing providers; what the data plane compiles from
 * it is the merged policy.
 */
class TelemetryListenerTest {
  static final TelemetryMeshConfig MESH = MeshConfigFile.parse("test", """
      extensionProviders:
      - name: zipkin
        zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411}
      """);
  static final String RESOURCES = """
      apiVersion: telemetry.istio.io/v1
      kind: Telemetry
      metadata: {name: mesh-default, namespace: istio-system}
      spec:
        tracing: [{providers: [{name: zipkin}], randomSamplingPercentage: 100}]
        accessLogging: [{providers: [{name: envoy}]}]
      ---
      apiVersion: telemetry.istio.io/v1
      kind: Telemetry
      metadata: {name: quiet, namespace: shop}
      spec:
        accessLogging: [{disabled: true, match: {mode: CLIENT}}]
      """;

  static Listener inbound(String namespace, Map<String, String> labels) {
    ResourceParser.Result parsed = new ResourceParser("default", "cluster.local",
        "istio-system", MESH.tracingProviders()).parse("test", RESOURCES);
    assertThat(parsed.diagnostics()).isEmpty();
    XdsTranslator translator = new XdsTranslator("istio-system", "default", "cluster.local",
        "cluster.local", MESH);
    return translator.prepare(new MeshConfig(parsed.resources(), List.of()))
        .forWorkload(namespace, labels).listeners().stream()
        .filter(l -> l.getName().equals(MeshXdsNames.VIRTUAL_INBOUND)).findFirst()
        .orElseThrow();
  }

  @Test
  void listenerCarriesTheApplicableTelemetriesInPrecedenceOrderAndTheProviders() {
    Struct ours = inbound("shop", Map.of("app", "cart")).getMetadata().getFilterMetadataMap()
        .get(MeshXdsNames.METADATA_FILTER);
    assertThat(TelemetryWire.telemetry(ours)).extracting(s -> s.namespace() + "/" + s.name())
        .containsExactly("istio-system/mesh-default", "shop/quiet");
    assertThat(TelemetryWire.exporters(ours)).containsExactly(new TraceExporter("zipkin",
        TraceExporter.Kind.ZIPKIN,
        URI.create("http://zipkin.istio-system.svc.cluster.local:9411/api/v2/spans")));
  }

  @Test
  void dataPlaneCompilesTheMergedPolicy() {
    TelemetryPolicy shop = VirtualInboundPolicy.telemetry(inbound("shop", Map.of()));
    assertThat(shop.client().accessLog()).isEqualTo(AccessLogRules.DEFAULT);
    assertThat(shop.server().accessLog().enabled()).isTrue();
    assertThat(shop.server().tracing().samplingPercentage()).isEqualTo(100.0);
    assertThat(shop.exporters()).extracting(TraceExporter::provider).containsExactly("zipkin");

    TelemetryPolicy other = VirtualInboundPolicy.telemetry(inbound("default", Map.of()));
    assertThat(other.client().accessLog().enabled()).isTrue();
  }

  @Test
  void withoutTelemetryTheListenerSaysNoneAndThePolicyIsIstiosDefault() {
    Listener l = new XdsTranslator().prepare(new MeshConfig(List.of(), List.of()))
        .forWorkload("default", Map.of()).listeners().stream()
        .filter(x -> x.getName().equals(MeshXdsNames.VIRTUAL_INBOUND)).findFirst()
        .orElseThrow();
    Struct ours = l.getMetadata().getFilterMetadataMap().get(MeshXdsNames.METADATA_FILTER);
    assertThat(ours.getFieldsMap()).containsKeys(TelemetryWire.TELEMETRY,
        TelemetryWire.TRACE_EXPORTERS);
    assertThat(VirtualInboundPolicy.telemetry(l)).isEqualTo(TelemetryPolicy.DEFAULT);
  }
}
