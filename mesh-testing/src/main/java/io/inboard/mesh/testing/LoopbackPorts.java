package io.inboard.mesh.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/** Loopback ports for tests that need a port before anything listens on it. */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /**
   * A port nothing listens on now, on {@code 127.0.0.1}: for a control plane that is down or not
   * yet up, or for several backends on different loopback addresses sharing one port.
   */
  public static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code start} (which binds a fixed port) until it succeeds, for up to 20 s. A client
   * that keeps reconnecting to a closed loopback port in the ephemeral range can be handed that
   * same port as its source port (a TCP self-connect), which holds it until the attempt fails.
   */
  public static <T> T startRetrying(Callable<T> start) {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions().until(start, Objects::nonNull);
  }
}
