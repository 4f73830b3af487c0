package io.inboard.mesh.controlplane;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/** A loopback port that nothing listens on, for a control plane that is down or not yet up. */
final class FreePorts {
  private FreePorts() {}

  static int pick() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a server on a fixed port, retrying while the port is briefly taken. A client that
   * keeps reconnecting to a closed loopback port in the ephemeral range can be handed that same
   * port as its source port (a TCP self-connect), which holds it until the attempt fails.
   */
  static <T> T startRetrying(Callable<T> start) {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions().until(start, Objects::nonNull);
  }
}
