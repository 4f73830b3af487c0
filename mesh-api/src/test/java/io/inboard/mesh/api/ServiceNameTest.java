package io.inboard.mesh.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceNameTest {

  @Test
  void shortNameResolvesAgainstDefaultNamespace() {
    assertThat(ServiceName.parse("reviews", "bookinfo"))
        .isEqualTo(new ServiceName("reviews", "bookinfo", 0, ""));
  }

  @Test
  void namespacedAndFullyQualifiedNamesCarryTheirNamespaceAndPort() {
    assertThat(ServiceName.parse("reviews.prod", "default"))
        .isEqualTo(ServiceName.of("reviews", "prod"));
    assertThat(ServiceName.parse("reviews.prod.svc.cluster.local:9080", "default"))
        .isEqualTo(ServiceName.of("reviews", "prod", 9080));
    assertThat(ServiceName.parse("reviews.prod.svc:grpc", "default"))
        .isEqualTo(new ServiceName("reviews", "prod", 0, "grpc"));
  }

  @Test
  void invalidNamesAreRejectedWithTheTextAndTheExpectedForm() {
    assertThatThrownBy(() -> ServiceName.parse("reviews..default", "default"))
        .hasMessageContaining("'reviews..default'").hasMessageContaining("expected: NAME");
    assertThatThrownBy(() -> ServiceName.parse("Reviews", "default"))
        .hasMessageContaining("service name: 'Reviews'").hasMessageContaining("expected: a DNS label");
    assertThatThrownBy(() -> ServiceName.parse("reviews:99999", "default"))
        .hasMessageContaining("port: 99999 (expected: 0..65535)");
    assertThatThrownBy(() -> ServiceName.parse("reviews.default.cluster:80", "default"))
        .hasMessageContaining("expected: NAME[.NAMESPACE[.svc");
  }

  @Test
  void toStringAndFqdnAreStable() {
    ServiceName name = ServiceName.of("ratings", "default", 9080);
    assertThat(name).hasToString("ratings.default:9080");
    assertThat(name.fqdn("cluster.local")).isEqualTo("ratings.default.svc.cluster.local");
    assertThat(name.withoutPort()).isEqualTo(ServiceName.of("ratings", "default"));
  }

  @Test
  void unavailableMessageNamesServiceAndNamespace() {
    ServiceUnavailableException e = new ServiceUnavailableException(
        ServiceName.of("nope", "elsewhere"), ServiceUnavailableException.Reason.SERVICE_NOT_FOUND, "");
    assertThat(e).hasMessage("service 'nope' in namespace 'elsewhere' not found");
  }
}
