package io.inboard.mesh.grpc.internal.xds;

import io.grpc.NameResolver;

/**
 * Whether one channel's new calls go straight to its xDS config selector, as the channel's
 * {@link InitialConfigGate} knows it: from the moment it passes the first usable config on until
 * its resolver shuts down (the channel going idle, or away). A call made while this is false
 * waits in the channel for a config that may not have been parsed yet; a call made while it is
 * true meets a route that was parsed before the call was made. Channel interceptors that put
 * something on a call only for some routes read it (the mirror channels do).
 *
 * <p>Handed to the resolver as the channel's name-resolver argument {@link #KEY}.
 */
public final class ConfigSelectorState {

  /** The channel builder's {@code setNameResolverArg} key. */
  public static final NameResolver.Args.Key<ConfigSelectorState> KEY =
      NameResolver.Args.Key.create("inboard.configSelectorState");

  private volatile boolean routing;

  /** Whether new calls are routed by a config the channel already has. */
  public boolean routing() {
    return routing;
  }

  /** Set by the channel's resolver (and by tests). */
  public void routing(boolean routing) {
    this.routing = routing;
  }
}
