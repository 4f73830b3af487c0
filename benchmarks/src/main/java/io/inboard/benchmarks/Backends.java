package io.inboard.benchmarks;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * gRPC servers on several loopback addresses sharing one port, as the endpoints of one service
 * would be on different pods. They answer {@code grpc.health.v1.Health/Check}, which is all the
 * clients call: the benchmark is about config reaching clients, not about the calls.
 */
final class Backends implements AutoCloseable {
  private final List<Server> servers = new ArrayList<>();
  private final List<String> addresses;

  private Backends(List<String> addresses) throws IOException {
    this.addresses = List.copyOf(addresses);
    int port = 0;
    for (String address : addresses) {
      Server s = NettyServerBuilder.forAddress(new InetSocketAddress(address, port))
          .addService(new HealthStatusManager().getHealthService())
          .build().start();
      servers.add(s);
      port = s.getPort(); // the first picks a free port; the rest share it
    }
  }

  /** Starts one server on each of {@code addresses}, all on one free port. */
  static Backends start(List<String> addresses) throws IOException {
    return new Backends(addresses);
  }

  int port() {
    return servers.get(0).getPort();
  }

  List<String> addresses() {
    return addresses;
  }

  @Override
  public void close() {
    servers.forEach(Server::shutdownNow);
  }
}
