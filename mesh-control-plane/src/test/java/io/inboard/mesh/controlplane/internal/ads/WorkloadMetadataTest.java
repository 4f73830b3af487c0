package io.inboard.mesh.controlplane.internal.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadMetadataTest {

  @Test
  void readsTheContractKeysIntoOneEndpointPerPort() {
    WorkloadMetadata m = WorkloadMetadata.read(struct(Map.of(
        "NAMESPACE", str("shop"), "WORKLOAD_NAME", str("cart-v1"),
        "SERVICE_ACCOUNT", str("cart"), "LABELS", obj(Map.of("app", str("cart"))),
        "INSTANCE_IPS", str("127.0.0.9, 10.0.0.1"), "INBOARD_SERVICE", str("cart"),
        "INBOARD_PORTS", obj(Map.of("grpc", str("9080"), "http",
            Value.newBuilder().setNumberValue(8080).build())))), "default", "cluster.local");

    assertThat(m.problems()).isEmpty();
    assertThat(m.endpoints()).containsExactly(
        new ServiceEndpoint("cart.shop.svc.cluster.local", 8080, "127.0.0.9", 8080,
            Map.of("app", "cart"), "cart"),
        new ServiceEndpoint("cart.shop.svc.cluster.local", 9080, "127.0.0.9", 9080,
            Map.of("app", "cart"), "cart"));
  }

  @Test
  void unusableValuesAreProblemsNamingKeyValueAndExpectation() {
    WorkloadMetadata m = WorkloadMetadata.read(struct(Map.of(
        "INBOARD_SERVICE", str("cart"), "INBOARD_PORTS", obj(Map.of("grpc", str("http"))),
        "LABELS", str("app=cart"))), "default", "cluster.local");

    assertThat(m.namespace()).isEqualTo("default");
    assertThat(m.endpoints()).isEmpty();
    assertThat(m.problems()).containsExactlyInAnyOrder(
        "LABELS: 'app=cart' (expected: a struct)",
        "INBOARD_PORTS.grpc: 'http' (expected: a port 1..65535)",
        "INSTANCE_IPS: missing (expected: the workload's IP address, to register"
            + " cart.default.svc.cluster.local)");
  }

  @Test
  void aNodeWithoutServiceIsAPureClient() {
    WorkloadMetadata m = WorkloadMetadata.read(struct(Map.of("INSTANCE_IPS", str("127.0.0.9"))),
        "default", "cluster.local");

    assertThat(m.service()).isEmpty();
    assertThat(m.endpoints()).isEmpty();
    assertThat(m.problems()).isEmpty();
  }

  @Test
  void adminAddressIsHostAndPort_elseAProblem() {
    assertThat(WorkloadMetadata.read(struct(Map.of("INBOARD_ADMIN_ADDRESS",
        str("127.0.0.9:15020"))), "default", "cluster.local").adminAddress())
        .isEqualTo("127.0.0.9:15020");
    assertThat(WorkloadMetadata.read(struct(Map.of("INBOARD_ADMIN_ADDRESS",
        str("[fd00::7]:15020"))), "default", "cluster.local").adminAddress())
        .isEqualTo("[fd00::7]:15020");
    assertThat(WorkloadMetadata.read(struct(Map.of()), "default", "cluster.local")
        .adminAddress()).isEmpty();

    WorkloadMetadata bad = WorkloadMetadata.read(struct(Map.of("INBOARD_ADMIN_ADDRESS",
        str("127.0.0.9"))), "default", "cluster.local");

    assertThat(bad.adminAddress()).isEmpty();
    assertThat(bad.problems()).containsExactly(
        "INBOARD_ADMIN_ADDRESS: '127.0.0.9' (expected: host:port of the admin server)");
  }

  private static Struct struct(Map<String, Value> fields) {
    return Struct.newBuilder().putAllFields(fields).build();
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value obj(Map<String, Value> fields) {
    return Value.newBuilder().setStructValue(struct(fields)).build();
  }
}
