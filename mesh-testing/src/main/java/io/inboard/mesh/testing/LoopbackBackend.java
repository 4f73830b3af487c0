package io.inboard.mesh.testing;

import java.util.Map;

/**
 * A backend of the kit: a real server on one loopback address, standing for one pod.
 *
 * <p>Registering a backend with a control plane or a {@link MockCluster} needs just this: its
 * address, its port and its pod labels (such as {@code version: v1} for subsets).
 */
public interface LoopbackBackend {

  /** The loopback address the server is bound to, such as {@code 127.0.0.2}. */
  String ip();

  /** The port the server listens on. */
  int port();

  /** The pod labels this backend stands for; empty if none were given. */
  Map<String, String> labels();

  /** Requests (HTTP) or calls (gRPC) received so far, each retry counted. */
  int calls();
}
