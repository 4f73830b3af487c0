package io.inboard.mesh.http.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyIoTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty("inboard.netty.io");
  }

  @Test
  void byDefault_loopsRunOnIoUringWhereTheKernelAllowsIt() {
    assumeThat(IoUring.isAvailable()).as("io_uring on this machine").isTrue();

    var group = new MultiThreadIoEventLoopGroup(1, NettyIo.handlerFactory());
    try {
      assertThat(NettyIo.socketChannel(group)).isEqualTo(IoUringSocketChannel.class);
      assertThat(NettyIo.serverSocketChannel(group)).isEqualTo(IoUringServerSocketChannel.class);
      assertThat(NettyEventLoops.of(group).channelType()).isEqualTo(IoUringSocketChannel.class);
    } finally {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void multishotReceives_areOffUnlessTheJvmSaysOtherwise() {
    NettyIo.handlerFactory();

    assertThat(System.getProperty(NettyIo.MULTISHOT_RECV)).isEqualTo("false");
  }

  @Test
  void epollAndNio_canBeChosenByProperty() {
    assumeThat(Epoll.isAvailable()).as("epoll on this machine").isTrue();
    System.setProperty("inboard.netty.io", "epoll");
    var epoll = new MultiThreadIoEventLoopGroup(1, NettyIo.handlerFactory());
    System.setProperty("inboard.netty.io", "NIO");
    var nio = new MultiThreadIoEventLoopGroup(1, NettyIo.handlerFactory());
    try {
      assertThat(NettyIo.socketChannel(epoll)).isEqualTo(EpollSocketChannel.class);
      assertThat(NettyIo.serverSocketChannel(epoll)).isEqualTo(EpollServerSocketChannel.class);
      assertThat(NettyIo.socketChannel(nio)).isEqualTo(NioSocketChannel.class);
      assertThat(NettyIo.serverSocketChannel(nio)).isEqualTo(NioServerSocketChannel.class);
    } finally {
      epoll.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
      nio.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
