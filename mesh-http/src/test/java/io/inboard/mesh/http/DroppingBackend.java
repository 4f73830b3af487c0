package io.inboard.mesh.http;

import io.inboard.mesh.testing.LoopbackBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback "pod" that reads each request's head and then drops the connection without
 * answering: with a plain close (FIN), a reset (TCP RST), or, when {@link #refusing}, that
 * refuses connections (nothing listens on its port).
 */
final class DroppingBackend implements LoopbackBackend, AutoCloseable {

  private final String ip;
  private final ServerSocket server;
  private final int port;
  private final boolean reset;
  private final AtomicInteger calls = new AtomicInteger();

  private DroppingBackend(String ip, boolean reset, boolean refusing) throws IOException {
    this.ip = ip;
    this.reset = reset;
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
    this.port = s.getLocalPort();
    if (refusing) {
      s.close();
      server = null;
      return;
    }
    server = s;
    Thread t = new Thread(this::serve, "dropping-backend-" + ip);
    t.setDaemon(true);
    t.start();
  }

  /** Closes each connection (FIN) after reading a request head. */
  static DroppingBackend closing(String ip) throws IOException {
    return new DroppingBackend(ip, false, false);
  }

  /** Resets each connection (RST) after reading a request head. */
  static DroppingBackend resetting(String ip) throws IOException {
    return new DroppingBackend(ip, true, false);
  }

  /** An address where nothing listens. */
  static DroppingBackend refusing(String ip) throws IOException {
    return new DroppingBackend(ip, false, true);
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        calls.incrementAndGet();
        InputStream in = s.getInputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (reset) {
          s.setSoLinger(true, 0);
        }
      } catch (IOException e) {
        // closed, or the client went away first
      }
    }
  }

  @Override
  public String ip() {
    return ip;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Map<String, String> labels() {
    return Map.of();
  }

  @Override
  public int calls() {
    return calls.get();
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }
}
