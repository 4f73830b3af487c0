package io.inboard.mesh.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.ServiceName;
import java.net.URI;
import org.junit.jupiter.api.Test;

class MeshHostsTest {

  private final MeshHosts hosts = new MeshHosts("default", "cluster.local");

  private ServiceName resolve(String uri) {
    return hosts.resolve(URI.create(uri));
  }

  @Test
  void resolvesTheFormsIstioUsersWrite() {
    ServiceName reviews = ServiceName.of("reviews", "default", 9080);
    assertThat(resolve("http://reviews:9080/x")).isEqualTo(reviews);
    assertThat(resolve("http://reviews.default:9080/x")).isEqualTo(reviews);
    assertThat(resolve("http://reviews.default.svc:9080/")).isEqualTo(reviews);
    assertThat(resolve("http://reviews.default.svc.cluster.local:9080")).isEqualTo(reviews);
    assertThat(resolve("http://Reviews.Bookinfo/")).isEqualTo(ServiceName.of("reviews", "bookinfo"));
  }

  @Test
  void leavesOtherHostsAlone() {
    assertThat(resolve("http://127.0.0.1:8080/")).isNull();
    assertThat(resolve("http://[::1]:8080/")).isNull();
    assertThat(resolve("http://localhost:8080/")).isNull();
    assertThat(resolve("https://reviews:9080/")).isNull();
    assertThat(resolve("http://api.example.com/")).isNull();
    assertThat(resolve("http://reviews.default.svc.other.domain/")).isNull();
  }
}
