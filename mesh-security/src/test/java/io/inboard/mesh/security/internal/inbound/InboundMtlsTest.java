package io.inboard.mesh.security.internal.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InboundMtlsTest {

  @Test
  void withoutControlPlane_policyIsTheDefaultUntilSet_andListenersHearOfChangesOnly()
      throws Exception {
    try (Mesh mesh = Mesh.builder().workloadName("reviews-v1").namespace("default")
        .discovery(new StaticDiscovery()).build()) {
      InboundMtls holder = InboundMtls.of(mesh);
      List<InboundMtlsPolicy> heard = new CopyOnWriteArrayList<>();
      holder.addListener(heard::add);

      assertThat(holder.policy()).isEqualTo(InboundMtlsPolicy.DEFAULT);
      assertThat(holder.awaitFirstPolicy(Duration.ZERO)).isFalse();

      InboundMtlsPolicy strict = new InboundMtlsPolicy(MtlsMode.STRICT, Map.of(15021,
          MtlsMode.DISABLE));
      holder.set(strict);
      holder.set(strict);

      assertThat(InboundMtls.of(mesh)).isSameAs(holder);
      assertThat(holder.policy()).isEqualTo(strict);
      assertThat(holder.awaitFirstPolicy(Duration.ZERO)).isTrue();
      assertThat(heard).containsExactly(strict);
    }
  }
}
