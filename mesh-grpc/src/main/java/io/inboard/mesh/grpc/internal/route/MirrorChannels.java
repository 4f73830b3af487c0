package io.inboard.mesh.grpc.internal.route;

import static java.util.Objects.requireNonNull;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.inboard.mesh.grpc.internal.xds.ConfigSelectorState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The channels mirrored calls go out on, one per mirror Listener, made on first use by the
 * owner's factory and shut down with it. The owner ({@code XdsChannels}) installs {@link
 * #interceptor} on each of its channels, which hands these channels to the route filter in
 * the call options: the filter itself is shared by grpc-xds and knows no channel.
 *
 * <p>Until some route of this JVM mirrors, a channel's interceptor passes the calls it makes
 * while routing by a config it has on untouched: a call option costs a copy of the call's
 * options per call, which only mirroring needs. A route is parsed (and the latch set) before
 * grpc-xds routes any call by it, so such a call meets no mirroring route. Calls made before the
 * channel has a config (the first ones, and the first after it was idle) wait for one that may
 * mirror, and always carry the option.
 */
public final class MirrorChannels implements AutoCloseable {

  static final CallOptions.Key<MirrorChannels> KEY =
      CallOptions.Key.create("inboard.mirrorChannels");

  /** Set, for good, once a route with a mirror policy has been parsed in this JVM. */
  private static volatile boolean routesMirror;

  private final Function<String, ManagedChannel> factory;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** @param factory makes the channel to an {@code xds:///} Listener name */
  public MirrorChannels(Function<String, ManagedChannel> factory) {
    this.factory = requireNonNull(factory, "factory");
  }

  /**
   * Puts these mirror channels into the call options of a channel's calls that may meet a
   * mirroring route: every call once some route of this JVM mirrors, and until then the calls
   * made before the channel routes by a config it has ({@code state}).
   *
   * @param state the channel's, also handed to its resolver ({@link ConfigSelectorState#KEY})
   */
  public ClientInterceptor interceptor(ConfigSelectorState state) {
    requireNonNull(state, "state");
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        return next.newCall(method, routesMirror || !state.routing()
            ? options.withOption(KEY, MirrorChannels.this) : options);
      }
    };
  }

  /** Called for each route policy with mirrors, before grpc-xds can route a call by it. */
  static void routesMirror() {
    if (!routesMirror) {
      routesMirror = true;
    }
  }

  /** Clears the latch, as in a JVM that has parsed no mirroring route (for tests). */
  static void forgetMirroringRoutes() {
    routesMirror = false;
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
