package io.inboard.mesh.grpc.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ServerTransportSecurityTest {

  @Test
  void serverTlsRunsOnBoringSslOnLinuxX86() {
    // netty-tcnative-boringssl-static ships this platform; on others the JDK engine serves
    Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").equals("amd64"));
    assertThat(ServerTransportSecurity.PROVIDER).as("OpenSsl unavailable: %s",
        OpenSsl.unavailabilityCause()).isEqualTo(SslProvider.OPENSSL);
  }

  private static final InMemoryAuthority CA = InMemoryAuthority.create("cluster.local");
  private static final SpiffeId ID = SpiffeId.of("cluster.local", "default", "reviews");

  @Test
  void maxConnectionAge_isThirtyMinutes_forDayLongCertificatesAndWithoutIdentity() {
    assertThat(ServerTransportSecurity.maxConnectionAge(
        Optional.of(CA.issue(ID, Duration.ofHours(24))))).isEqualTo(Duration.ofMinutes(30));
    assertThat(ServerTransportSecurity.maxConnectionAge(Optional.empty()))
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void maxConnectionAge_isHalfTheRemainingLifetime_forShortCertificates() {
    // tolerance: the time between issuing and asking
    assertThat(ServerTransportSecurity.maxConnectionAge(
        Optional.of(CA.issue(ID, Duration.ofMinutes(20)))))
        .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
  }

  @Test
  void maxConnectionAge_isAtLeastOneSecond() {
    assertThat(ServerTransportSecurity.maxConnectionAge(
        Optional.of(CA.issueExpired(ID, Duration.ofMinutes(1))))).isEqualTo(Duration.ofSeconds(1));
  }
}
