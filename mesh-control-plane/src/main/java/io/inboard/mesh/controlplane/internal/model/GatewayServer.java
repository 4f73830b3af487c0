package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One entry of a Gateway's {@code servers}.
 *
 * @param index its position in {@code spec.servers}, for diagnostics
 * @param port {@code port.number}, 1..65535
 * @param portName {@code port.name}, unique within the Gateway (it names the RDS of an HTTPS
 *     server)
 * @param protocol {@code port.protocol}, upper case ({@code HTTP}, {@code HTTPS}...)
 * @param hosts the hosts it serves (at least one)
 * @param tls its {@code tls}, if any
 * @param served whether Inboard's gateway serves it (HTTP, HTTP2 and GRPC in plaintext, HTTPS
 *     with SIMPLE or MUTUAL TLS); the parser warned about one that is not
 */
public record GatewayServer(int index, int port, String portName, String protocol,
    List<GatewayHost> hosts, Optional<ServerTls> tls, boolean served) {

  public GatewayServer {
    requireNonNull(portName, "portName");
    requireNonNull(protocol, "protocol");
    hosts = List.copyOf(hosts);
    requireNonNull(tls, "tls");
  }

  /** Whether it terminates TLS (else it is plaintext, possibly redirecting to https). */
  public boolean terminatesTls() {
    return tls.isPresent() && tls.get().mode().terminates();
  }

  /** Whether {@code tls.httpsRedirect} is set: its virtual hosts require TLS. */
  public boolean httpsRedirect() {
    return tls.isPresent() && tls.get().httpsRedirect();
  }
}
