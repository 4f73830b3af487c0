package io.inboard.mesh.http.internal.transport.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loops a {@link NettyTransport} runs its channels on, and the socket channel type
 * they take (epoll where Netty's native epoll loads, else NIO). A try started on one of these
 * loops stays on it: its upstream channel is that loop's, so nothing changes thread or locks.
 */
public final class NettyEventLoops {

  private final EventLoopGroup group;
  private final EventLoop[] loops;
  private final Class<? extends SocketChannel> channelType;
  private final AtomicInteger next = new AtomicInteger();

  private NettyEventLoops(EventLoopGroup group) {
    this.group = group;
    List<EventLoop> all = new ArrayList<>();
    for (EventExecutor e : group) {
      if (!(e instanceof EventLoop loop)) {
        throw new IllegalArgumentException("eventLoops: " + group.getClass().getName()
            + " has executor " + e + " (expected: Netty EventLoops)");
      }
      all.add(loop);
    }
    this.loops = all.toArray(new EventLoop[0]);
    this.channelType = NettyIo.socketChannel(group);
  }

  /** Loops over {@code group}, an epoll or NIO group the caller owns and closes. */
  public static NettyEventLoops of(EventLoopGroup group) {
    return new NettyEventLoops(requireNonNull(group, "group"));
  }

  /**
   * A new group of one loop per CPU on daemon threads named {@code inboard-http-netty-*}:
   * epoll where available, else NIO. The caller shuts it down.
   */
  public static EventLoopGroup newGroup() {
    DefaultThreadFactory threads = new DefaultThreadFactory("inboard-http-netty", true);
    int n = Runtime.getRuntime().availableProcessors();
    return new MultiThreadIoEventLoopGroup(n, threads, NettyIo.handlerFactory());
  }

  EventLoopGroup group() {
    return group;
  }

  int size() {
    return loops.length;
  }

  EventLoop loop(int index) {
    return loops[index];
  }

  /** The calling thread's loop if it is one of these, else the next one round robin. */
  int pick() {
    for (int i = 0; i < loops.length; i++) {
      if (loops[i].inEventLoop()) {
        return i;
      }
    }
    return Math.floorMod(next.getAndIncrement(), loops.length);
  }

  Class<? extends SocketChannel> channelType() {
    return channelType;
  }
}
