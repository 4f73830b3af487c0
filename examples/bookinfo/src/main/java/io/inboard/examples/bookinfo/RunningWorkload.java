package io.inboard.examples.bookinfo;

import io.inboard.mesh.api.Mesh;
import java.net.InetSocketAddress;

/** A started bookinfo workload: its server, its mesh and its admin server. */
public interface RunningWorkload extends AutoCloseable {

  Workload workload();

  /** The mesh the workload runs in; closed with it. */
  Mesh mesh();

  /** The port its service listens on. */
  int port();

  /** Where its admin server ({@code /stats/prometheus}, {@code /debug/config_dump}) listens. */
  default String adminUrl() {
    return mesh().adminAddress()
        .map(InetSocketAddress::getPort)
        .map(p -> "http://127.0.0.1:" + p)
        .orElse("(none)");
  }

  /** Stops the server, then the mesh. */
  @Override
  void close();
}
