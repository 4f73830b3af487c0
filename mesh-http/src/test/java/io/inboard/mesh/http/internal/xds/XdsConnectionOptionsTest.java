package io.inboard.mesh.http.internal.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The connections' limits of a Cluster, in Envoy's upstream HTTP protocol options as Istio sends
 * them: idle timeout and calls per connection.
 */
class XdsConnectionOptionsTest {
  private static final String KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private static Cluster.Builder cluster() {
    return Cluster.newBuilder().setName("outbound|9080||ratings.default.svc.cluster.local")
        .setType(Cluster.DiscoveryType.EDS);
  }

  private static ConnectionPoolSettings read(Cluster c) {
    return XdsClusterPolicy.of(c, ClientPolicy.EMPTY).connectionPool().orElseThrow();
  }

  @Test
  void idleTimeoutAndRequestsPerConnectionAreReadFromTheCommonOptions() {
    Cluster c = cluster().putTypedExtensionProtocolOptions(KEY, Any.pack(
        io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
            .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder()
                .setIdleTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(90))
                .setMaxRequestsPerConnection(UInt32Value.of(4)))
            .build())).build();

    ConnectionPoolSettings cp = read(c);
    assertThat(cp.idleTimeout()).contains(Duration.ofSeconds(90));
    assertThat(cp.maxRequestsPerConnection()).isEqualTo(4);
  }

  @Test
  void withoutOptionsTheTransportKeepsItsOwnIdleTimeout() {
    assertThat(XdsClusterPolicy.of(cluster().setConnectTimeout(
        com.google.protobuf.Duration.newBuilder().setSeconds(1)).build(), ClientPolicy.EMPTY)
        .connectionPool().flatMap(ConnectionPoolSettings::idleTimeout)).isEmpty();
  }

  @Test
  void optionsOfAnotherTypeAreRefusedNamingTheClusterAndTheKey() {
    Cluster c = cluster().putTypedExtensionProtocolOptions(KEY,
        Any.pack(UInt32Value.of(1))).build();

    assertThatThrownBy(() -> read(c)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster 'outbound|9080||ratings.default.svc.cluster.local'")
        .hasMessageContaining("typed_extension_protocol_options[" + KEY + "]")
        .hasMessageContaining("google.protobuf.UInt32Value");
  }
}
