package io.inboard.mesh.grpc.internal.route;

import static java.util.Objects.requireNonNull;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The channels mirrored calls go out on, one per mirror Listener, made on first use by the
 * owner's factory and shut down with it. The owner ({@code XdsChannels}) installs {@link
 * #interceptor()} on each of its channels, which hands these channels to the route filter in
 * the call options: the filter itself is shared by grpc-xds and knows no channel.
 */
public final class MirrorChannels implements AutoCloseable {

  static final CallOptions.Key<MirrorChannels> KEY =
      CallOptions.Key.create("inboard.mirrorChannels");

  private final Function<String, ManagedChannel> factory;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final ClientInterceptor interceptor = new ClientInterceptor() {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
        CallOptions options, Channel next) {
      return next.newCall(method, options.withOption(KEY, MirrorChannels.this));
    }
  };
  private volatile boolean closed;

  /** @param factory makes the channel to an {@code xds:///} Listener name */
  public MirrorChannels(Function<String, ManagedChannel> factory) {
    this.factory = requireNonNull(factory, "factory");
  }

  /** Puts these mirror channels into the call options of every call of a channel. */
  public ClientInterceptor interceptor() {
    return interceptor;
  }

  /** The channel to {@code listener}, or null once closed. */
  ManagedChannel channel(String listener) {
    ManagedChannel channel = channels.get(listener);
    if (channel == null && !closed) {
      channel = channels.computeIfAbsent(listener, factory);
      if (closed) {
        channel.shutdownNow(); // lost a race with close()
        return null;
      }
    }
    return channel;
  }

  /** Shuts every mirror channel down now; copies in flight are dropped. */
  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
