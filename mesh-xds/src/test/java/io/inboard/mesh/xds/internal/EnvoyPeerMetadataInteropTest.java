package io.inboard.mesh.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Checks Inboard's hand-written Struct codec against protobuf-java's, both ways. */
class EnvoyPeerMetadataInteropTest {

  private static Value s(String v) {
    return Value.newBuilder().setStringValue(v).build();
  }

  @Test
  void aSidecarsHeader_asEnvoyWritesIt_isRead() {
    // the shape Istio's metadata exchange sends, with fields Inboard does not use
    Struct labels = Struct.newBuilder()
        .putFields("app", s("ratings")).putFields("version", s("v1"))
        .putFields("service.istio.io/canonical-name", s("ratings"))
        .putFields("service.istio.io/canonical-revision", s("v1"))
        .putFields("security.istio.io/tlsMode", s("istio")).build();
    Struct meta = Struct.newBuilder()
        .putFields("NAME", s("ratings-v1-5d9c8b7f-xk2l9"))
        .putFields("NAMESPACE", s("default"))
        .putFields("WORKLOAD_NAME", s("ratings-v1"))
        .putFields("CLUSTER_ID", s("Kubernetes"))
        .putFields("MESH_ID", s("cluster.local"))
        .putFields("INSTANCE_IPS", Value.newBuilder().setListValue(
            com.google.protobuf.ListValue.newBuilder().addValues(s("10.0.0.9"))).build())
        .putFields("ISTIO_VERSION", Value.newBuilder().setNumberValue(1.24).build())
        .putFields("LABELS", Value.newBuilder().setStructValue(labels).build()).build();

    PeerIdentity p = EnvoyPeerMetadata.decode(
        Base64.getEncoder().encodeToString(meta.toByteArray()));

    assertThat(p).isEqualTo(new PeerIdentity("ratings-v1", "default", "ratings", "v1", "ratings",
        "v1", "Kubernetes"));
  }

  @Test
  void inboardsHeader_parsesAsAProtobufStruct() throws Exception {
    PeerIdentity reviews = new PeerIdentity("reviews-v3", "default", "reviews", "v3", "reviews",
        "v3", "Kubernetes");

    Struct meta = Struct.parseFrom(Base64.getDecoder().decode(EnvoyPeerMetadata.encode(reviews)));

    assertThat(meta.getFieldsOrThrow("WORKLOAD_NAME").getStringValue()).isEqualTo("reviews-v3");
    assertThat(meta.getFieldsOrThrow("NAMESPACE").getStringValue()).isEqualTo("default");
    assertThat(meta.getFieldsOrThrow("CLUSTER_ID").getStringValue()).isEqualTo("Kubernetes");
    Struct labels = meta.getFieldsOrThrow("LABELS").getStructValue();
    assertThat(labels.getFieldsOrThrow("service.istio.io/canonical-name").getStringValue())
        .isEqualTo("reviews");
    assertThat(labels.getFieldsOrThrow("version").getStringValue()).isEqualTo("v3");
  }
}
