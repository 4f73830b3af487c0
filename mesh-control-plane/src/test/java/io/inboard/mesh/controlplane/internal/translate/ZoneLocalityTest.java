package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.internal.ads.WorkloadMetadata;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoint zones: read from auto-registration metadata and sent as EDS localities. */
class ZoneLocalityTest {
  static final String FQDN = "reviews.default.svc.cluster.local";

  @Test
  void edsGroupsEndpointsIntoOneWeightedLocalityPerZone() {
    XdsResources x = new XdsTranslator().translate(new MeshConfig(List.of(), List.of(
        new ServiceEndpoint(FQDN, 9080, "127.0.0.2", Map.of()).inZone("zone-a"),
        new ServiceEndpoint(FQDN, 9080, "127.0.0.3", Map.of()).inZone("zone-a"),
        new ServiceEndpoint(FQDN, 9080, "127.0.0.4", Map.of()).inZone("zone-b"),
        new ServiceEndpoint(FQDN, 9080, "127.0.0.5", Map.of()))));

    ClusterLoadAssignment cla = x.assignments().get(0);
    assertThat(cla.getEndpointsList()).extracting(l -> l.getLocality().getZone(),
        l -> l.getLoadBalancingWeight().getValue(), LocalityLbEndpoints::getLbEndpointsCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("", 1, 1),
            org.assertj.core.groups.Tuple.tuple("zone-a", 2, 2),
            org.assertj.core.groups.Tuple.tuple("zone-b", 1, 1));
  }

  @Test
  void autoRegisteredEndpointsTakeTheZoneFromNodeMetadata() {
    Struct metadata = Struct.newBuilder()
        .putFields("INSTANCE_IPS", str("127.0.0.9"))
        .putFields("INBOARD_SERVICE", str("cart"))
        .putFields("INBOARD_ZONE", str("zone-b"))
        .putFields("INBOARD_PORTS", Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("http", str("8080"))).build())
        .build();

    WorkloadMetadata m = WorkloadMetadata.read(metadata, "default", "cluster.local");

    assertThat(m.problems()).isEmpty();
    assertThat(m.endpoints()).extracting(ServiceEndpoint::zone).containsExactly("zone-b");
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
