package io.inboard.mesh.http.internal.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Writes a request's {@code BodyPublisher} to a channel one buffer at a time: the next buffer
 * is requested only while the channel is writable (for HTTP/2, while the stream's window has
 * room), so a large body is never held whole. Publisher signals hop onto the channel's loop.
 */
final class RequestBody implements Flow.Subscriber<ByteBuffer> {

  private final Channel channel;
  private final Exchange<?> exchange;
  private final Function<ByteBuf, Object> content;
  private final Object last;
  private final Runnable onWritten;
  private final ChannelFutureListener onWriteFailure;
  private Flow.Subscription subscription;
  private boolean waitingForWritable;
  private boolean over;

  /**
   * @param content wraps a buffer as the protocol's body message
   * @param last the message that ends the body
   * @param onWritten runs on the loop once the whole body is written
   */
  RequestBody(Channel channel, Exchange<?> exchange, Function<ByteBuf, Object> content,
      Object last, Runnable onWritten) {
    this.channel = channel;
    this.exchange = exchange;
    this.content = content;
    this.last = last;
    this.onWritten = onWritten;
    this.onWriteFailure = f -> {
      if (!f.isSuccess()) {
        exchange.failIo(f.cause(), "writing the request body failed");
      }
    };
  }

  /** Subscribes to the request's publisher. */
  void start() {
    exchange.request.bodyPublisher().orElseThrow().subscribe(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    onLoop(() -> {
      subscription = s;
      if (over) {
        s.cancel();
      } else {
        requestMore();
      }
    });
  }

  @Override
  public void onNext(ByteBuffer item) {
    onLoop(() -> {
      if (over) {
        return;
      }
      channel.writeAndFlush(content.apply(Unpooled.wrappedBuffer(item)))
          .addListener(onWriteFailure);
      requestMore();
    });
  }

  @Override
  public void onError(Throwable t) {
    onLoop(() -> {
      if (!over) {
        over = true;
        exchange.fail(t);
      }
    });
  }

  @Override
  public void onComplete() {
    onLoop(() -> {
      if (!over) {
        over = true;
        channel.writeAndFlush(last).addListener(onWriteFailure);
        onWritten.run();
      }
    });
  }

  /** The channel became writable again. */
  void onWritable() {
    if (waitingForWritable && channel.isWritable()) {
      waitingForWritable = false;
      subscription.request(1);
    }
  }

  /** Stops reading the publisher (the exchange ended first). */
  void stop() {
    if (!over) {
      over = true;
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }

  private void requestMore() {
    if (channel.isWritable()) {
      subscription.request(1);
    } else {
      waitingForWritable = true;
    }
  }

  private void onLoop(Runnable r) {
    if (channel.eventLoop().inEventLoop()) {
      r.run();
    } else {
      channel.eventLoop().execute(r);
    }
  }
}
