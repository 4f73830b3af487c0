package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.xds.type.v3.TypedStruct;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.controlplane.internal.model.TrafficPolicy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** gRPC clients label their ejection metrics with the cluster name the policy carries. */
class GrpcOutlierClusterNameTest {

  @Test
  void theGrpcPolicyNamesItsCluster() throws Exception {
    String name = "outbound|9080|v1|reviews.default.svc.cluster.local";
    Cluster c = ClusterTranslator.cluster(name, new TrafficPolicy(Optional.empty(),
        Optional.empty(), Optional.of(OutlierDetectionPolicy.DEFAULT)));

    TypedStruct ours = c.getLoadBalancingPolicy().getPolicies(0).getTypedExtensionConfig()
        .getTypedConfig().unpack(TypedStruct.class);
    assertThat(ours.getValue().getFieldsOrThrow("cluster").getStringValue()).isEqualTo(name);
  }
}
