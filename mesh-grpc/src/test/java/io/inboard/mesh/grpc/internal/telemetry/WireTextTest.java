package io.inboard.mesh.grpc.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;

/** Addresses as access logs and labels show them, made once per address. */
class WireTextTest {

  @Test
  void address_ipSocket_isIpColonPort() {
    assertThat(WireText.address(new InetSocketAddress("127.0.0.1", 19100)))
        .isEqualTo("127.0.0.1:19100");
  }

  @Test
  void address_sameAddressAgain_isTheSameTextInstance() {
    InetSocketAddress a = new InetSocketAddress("127.0.0.2", 19101);

    assertThat(WireText.address(a)).isSameAs(WireText.address(a));
  }

  @Test
  void address_eachAddressKeepsItsOwnText_pastTheCacheBound() {
    for (int port = 1; port <= WireText.MAX_ADDRESSES + 10; port++) {
      assertThat(WireText.address(new InetSocketAddress("127.0.0.3", port)))
          .isEqualTo("127.0.0.3:" + port);
    }
    assertThat(WireText.address(new InetSocketAddress("127.0.0.3", 7))).isEqualTo("127.0.0.3:7");
  }

  @Test
  void address_unresolvedOrNotIp_isEmpty() {
    assertThat(WireText.address(InetSocketAddress.createUnresolved("reviews", 9080))).isEmpty();
    assertThat(WireText.address(new SocketAddress() {})).isEmpty();
    assertThat(WireText.address(null)).isEmpty();
  }
}
