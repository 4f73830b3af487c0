package io.inboard.mesh.security.internal.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VirtualInboundPolicyTest {

  static FilterChain chain(Integer port, Value mode) {
    FilterChain.Builder b = FilterChain.newBuilder();
    if (port != null) {
      b.setFilterChainMatch(FilterChainMatch.newBuilder()
          .setDestinationPort(UInt32Value.of(port)));
    }
    if (mode != null) {
      b.setMetadata(Metadata.newBuilder().putFilterMetadata("io.inboard.mesh",
          Struct.newBuilder().putFields("mtlsMode", mode).build()));
    }
    return b.build();
  }

  static FilterChain chain(Integer port, String mode) {
    return chain(port, Value.newBuilder().setStringValue(mode).build());
  }

  static Listener listener(FilterChain... chains) {
    return Listener.newBuilder().setName("virtualInbound").addAllFilterChains(
        java.util.List.of(chains)).build();
  }

  @Test
  void chainWithoutPort_setsTheWorkloadMode_andPortChainsOverrideIt() {
    InboundMtlsPolicy p = VirtualInboundPolicy.fromListener(listener(
        chain(null, "STRICT"), chain(9080, "DISABLE"), chain(9443, "PERMISSIVE")));

    assertThat(p.defaultMode()).isEqualTo(MtlsMode.STRICT);
    assertThat(p.ports()).isEqualTo(Map.of(9080, MtlsMode.DISABLE, 9443, MtlsMode.PERMISSIVE));
    assertThat(p.mode(9080)).isEqualTo(MtlsMode.DISABLE);
    assertThat(p.mode(7000)).isEqualTo(MtlsMode.STRICT);
  }

  @Test
  void noChainWithoutPort_leavesTheWorkloadPermissive_asIstio() {
    InboundMtlsPolicy p = VirtualInboundPolicy.fromListener(listener(chain(9080, "STRICT")));

    assertThat(p.defaultMode()).isEqualTo(MtlsMode.PERMISSIVE);
    assertThat(p.mode(9080)).isEqualTo(MtlsMode.STRICT);
  }

  @Test
  void noChains_isTheDefaultPolicy() {
    assertThat(VirtualInboundPolicy.fromListener(listener())).isEqualTo(InboundMtlsPolicy.DEFAULT);
  }

  @Test
  void unknownMode_isRefusedNamingTheField() {
    assertThatThrownBy(() -> VirtualInboundPolicy.fromListener(listener(
        chain(null, "STRICT"), chain(9080, "MUTUAL"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("listener 'virtualInbound' filter_chains[1].metadata.filter_metadata"
            + "['io.inboard.mesh'].mtlsMode: 'MUTUAL' (expected: one of [STRICT, PERMISSIVE,"
            + " DISABLE])");
  }

  @Test
  void missingOrNonStringMode_isRefused() {
    assertThat(VirtualInboundPolicy.problem(listener(chain(null, (Value) null))))
        .contains("filter_chains[0]").contains("mtlsMode: missing");
    assertThat(VirtualInboundPolicy.problem(listener(
        chain(9080, Value.newBuilder().setNumberValue(1).build()))))
        .contains("mtlsMode: number_value: 1.0").contains("expected: a string");
  }

  @Test
  void twoModesForOnePort_orForTheWorkload_areRefused() {
    assertThat(VirtualInboundPolicy.problem(listener(chain(9080, "STRICT"),
        chain(9080, "DISABLE")))).contains("port 9080 is DISABLE here and STRICT");
    assertThat(VirtualInboundPolicy.problem(listener(chain(null, "STRICT"),
        chain(null, "DISABLE")))).contains("workload mode DISABLE here and STRICT");
  }

  @Test
  void portOutOfRange_isRefused() {
    assertThat(VirtualInboundPolicy.problem(listener(chain(70000, "STRICT"))))
        .contains("destination_port: 70000 (expected: 1..65535)");
  }

  @Test
  void readableListener_hasNoProblem() {
    assertThat(VirtualInboundPolicy.problem(listener(chain(null, "DISABLE")))).isNull();
  }
}
