package io.inboard.mesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.NameResolverRegistry;
import org.junit.jupiter.api.Test;

class DefaultSchemeTest {

  @Test
  void k8sProviderIsRegisteredButDoesNotBecomeTheDefaultScheme() {
    NameResolverRegistry registry = NameResolverRegistry.getDefaultRegistry();
    assertThat(registry.getDefaultScheme()).isEqualTo("dns");
    assertThat(registry.getProviderForScheme(MeshNameResolverProvider.SCHEME))
        .isInstanceOf(MeshNameResolverProvider.class);
  }
}
