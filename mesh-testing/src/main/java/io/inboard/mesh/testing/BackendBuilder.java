package io.inboard.mesh.testing;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What configuring either kind of backend has in common: the loopback address (given to {@code
 * on(ip)}), the port and the pod labels.
 *
 * @param <B> the concrete builder, returned by each setter
 */
public abstract class BackendBuilder<B extends BackendBuilder<B>> {
  final String ip;
  int port;
  final Map<String, String> labels = new LinkedHashMap<>();

  BackendBuilder(String ip) {
    this.ip = requireNonNull(ip, "ip");
  }

  /**
   * The port to bind; default 0, a free one. Backends on different loopback addresses may share
   * one port (pick it with {@link LoopbackPorts#free()}).
   */
  public B port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    this.port = port;
    return self();
  }

  /** Adds a pod label. */
  public B label(String key, String value) {
    labels.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
    return self();
  }

  /** Adds the pod label {@code version: <version>}, the one subsets select on. */
  public B version(String version) {
    return label("version", version);
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
