package io.inboard.mesh.http.internal.transport.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;

/**
 * Which of Netty's I/O mechanisms the mesh's own event loops use (the ingress gateway's, and
 * the Netty transport's): io_uring where the kernel allows it, else epoll, else NIO. System
 * property {@code inboard.netty.io}: {@code auto} (the default), {@code io_uring}, {@code epoll}
 * or {@code nio}; one that is asked for but not available falls back as {@code auto} does.
 *
 * <p>Why io_uring first: a proxy's own CPU per request on loopback is mostly system calls (two
 * reads, two writes and the waits per request); io_uring submits them in batches per loop
 * turn. Measured on the gateway, it took about 40 % less CPU per request than epoll (see
 * BENCHMARKS.md). Kernels or sandboxes that refuse io_uring (a seccomp profile, {@code
 * kernel.io_uring_disabled}) make {@code IoUring.isAvailable()} false, and epoll is used.
 */
public final class NettyIo {

  /** Netty's switch for multishot receives on io_uring, read once when io_uring loads. */
  static final String MULTISHOT_RECV = "io.netty.iouring.recvMultiShotEnabled";

  static {
    // One receive per read unless the JVM was told otherwise: with Netty's multishot receives
    // the gateway's median at 1000 requests/s was 30-80 µs above its own on epoll, without
    // them it matched epoll's and kept io_uring's lower CPU per request (BENCHMARKS.md)
    if (System.getProperty(MULTISHOT_RECV) == null) {
      System.setProperty(MULTISHOT_RECV, "false");
    }
  }

  private NettyIo() {}

  /** The factory of the I/O handlers new event loops get. */
  public static IoHandlerFactory handlerFactory() {
    String asked = System.getProperty("inboard.netty.io", "auto").toLowerCase(Locale.ROOT);
    if ((asked.equals("auto") || asked.equals("io_uring")) && IoUring.isAvailable()) {
      return IoUringIoHandler.newFactory();
    }
    if (!asked.equals("nio") && Epoll.isAvailable()) {
      return EpollIoHandler.newFactory();
    }
    return NioIoHandler.newFactory();
  }

  /** The client socket channel type that runs on {@code group}'s loops. */
  public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
    if (group instanceof IoEventLoopGroup io) {
      if (io.isIoType(IoUringIoHandler.class)) {
        return IoUringSocketChannel.class;
      }
      if (io.isIoType(EpollIoHandler.class)) {
        return EpollSocketChannel.class;
      }
    }
    return NioSocketChannel.class;
  }

  /** The server socket channel type that runs on {@code group}'s loops. */
  public static Class<? extends ServerSocketChannel> serverSocketChannel(EventLoopGroup group) {
    if (group instanceof IoEventLoopGroup io) {
      if (io.isIoType(IoUringIoHandler.class)) {
        return IoUringServerSocketChannel.class;
      }
      if (io.isIoType(EpollIoHandler.class)) {
        return EpollServerSocketChannel.class;
      }
    }
    return NioServerSocketChannel.class;
  }
}
