package io.inboard.mesh.grpc.internal.telemetry;

import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Label and log text for what a call carries: status numbers and addresses. */
public final class WireText {

  /** gRPC's framing: each message on the wire has a 5-byte prefix (flag and length). */
  public static final int MESSAGE_PREFIX_BYTES = 5;

  static final int MAX_ADDRESSES = 1024;
  private static final Map<SocketAddress, String> ADDRESSES = new ConcurrentHashMap<>();

  private static final String[] CODES = new String[Status.Code.values().length];

  static {
    for (Status.Code c : Status.Code.values()) {
      CODES[c.ordinal()] = Integer.toString(c.value());
    }
  }

  private WireText() {}

  /** {@code code}'s number as text, {@code "0"} for OK. */
  public static String code(Status.Code code) {
    return CODES[code.ordinal()];
  }

  /**
   * {@code ip:port} of an IP socket address, else {@code ""}. Each call's attempt asks for its
   * connection's addresses, which are the same objects for the connection's life, so the text is
   * made once per address (up to {@value #MAX_ADDRESSES} kept; past that the cache starts over).
   */
  public static String address(SocketAddress address) {
    if (address == null) {
      return "";
    }
    String text = ADDRESSES.get(address);
    if (text == null) {
      text = format(address);
      if (ADDRESSES.size() >= MAX_ADDRESSES) {
        ADDRESSES.clear();
      }
      ADDRESSES.put(address, text);
    }
    return text;
  }

  private static String format(SocketAddress address) {
    if (address instanceof InetSocketAddress a && a.getAddress() != null) {
      return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
    return "";
  }

  /**
   * The HTTP/2 body bytes of {@code messages} gRPC messages whose payloads (as grpc's stream
   * tracers count them, without the prefix) add up to {@code payloadBytes}: what Envoy counts.
   */
  public static long bodyBytes(long payloadBytes, long messages) {
    return payloadBytes + MESSAGE_PREFIX_BYTES * messages;
  }
}
