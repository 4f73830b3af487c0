package io.inboard.mesh.grpc.internal.telemetry;

import io.grpc.Status;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.internal.telemetry.ResponseFlag;

/**
 * Reads Envoy's response flags from the outcome of a gRPC call. A flag set is an {@code int} of
 * {@link ResponseFlag#bit()}s, so that the common case (no flag) costs nothing.
 *
 * <p>On the client, a status the server sent (in the trailers of the attempt that ended the
 * call) is the upstream's answer and gets no flag but {@code URX}. A status made in this process is read
 * by where it came from:
 *
 * <ul>
 *   <li>Inboard's own refusals carry a {@link ServiceUnavailableException}: no ready endpoints
 *       or nothing discovered yet is {@code UH}; an unknown service, namespace or port is
 *       {@code NR} (Envoy has no route for a host it does not know); an open circuit or
 *       overloaded endpoints is {@code UO}; TLS that cannot be set up is {@code UF}.
 *   <li>grpc-xds 1.85.1's descriptions: {@code Could not find xDS route matching RPC} and
 *       {@code Failed to find virtual host matching hostname} are {@code NR};
 *       {@code Error retrieving CDS resource} is {@code NC}; {@code No usable endpoint from
 *       cluster} and {@code Error retrieving EDS resource} are {@code UH};
 *       {@code Cluster max concurrent requests limit of N exceeded} is {@code UO};
 *       {@code RPC terminated due to fault injection} is {@code FI}; Inboard's own
 *       {@code xDS listener '...' not received} (no config in time) is {@code NR}; and
 *       {@code Deadline exceeded after up to N ns of fault-injected delay} is {@code UT} and
 *       {@code DI}. (A fault delay that ends before the deadline leaves no trace in the call, so
 *       {@code DI} is reported only then.)
 *   <li>{@code DEADLINE_EXCEEDED} is {@code UT}. grpc-netty's {@code RST_STREAM closed stream}
 *       is {@code UR}; any other {@code CANCELLED} is the application cancelling, {@code DC}.
 *   <li>Any other failure is {@code UC} when the attempt's stream was on a connection, else
 *       {@code UF} for {@code UNAVAILABLE} (the load balancer had no connection to offer).
 * </ul>
 *
 * <p>The response code goes with it: {@code 200} when an HTTP/2 response came, else
 * {@code 0}, so a deadline that expired before any answer is {@code UT} with {@code 0} (Envoy
 * would answer its own caller with a local 504; a proxyless client has no one to answer and
 * nothing came over the wire; Kiali counts both as failed).
 *
 * <p>{@code URX} is added to a failure whose code was also the code of an earlier attempt of the
 * call: gRPC retries only retryable codes, so the last attempt failed retryably and no retry was
 * left (Envoy writes {@code UF,URX} and such pairs the same way).
 */
public final class ResponseFlags {

  private ResponseFlags() {}

  /**
   * The flags of an outbound call.
   *
   * @param status what the call closed with
   * @param fromServer whether the status came in the trailers of the attempt that ended the call
   * @param onConnection whether that attempt's stream was created on a connection
   * @param earlierCodes the {@code 1 << code} bits of the statuses of the call's earlier
   *     attempts ({@code 0} when there was one attempt)
   */
  public static int client(Status status, boolean fromServer, boolean onConnection,
      int earlierCodes) {
    Status.Code code = status.getCode();
    if (code == Status.Code.OK) {
      return 0;
    }
    int retried = (earlierCodes & (1 << code.value())) != 0 ? ResponseFlag.URX.bit() : 0;
    if (fromServer) {
      return retried;
    }
    return local(status, code, onConnection) | retried;
  }

  private static int local(Status status, Status.Code code, boolean onConnection) {
    ServiceUnavailableException refused = refusal(status.getCause());
    if (refused != null) {
      return switch (refused.reason()) {
        case NO_READY_ENDPOINTS, NOT_YET_DISCOVERED -> ResponseFlag.UH.bit();
        case SERVICE_NOT_FOUND, NAMESPACE_NOT_FOUND, PORT_NOT_FOUND -> ResponseFlag.NR.bit();
        case CIRCUIT_OPEN, OVERLOADED -> ResponseFlag.UO.bit();
        case TLS_UNAVAILABLE -> ResponseFlag.UF.bit();
      };
    }
    String d = status.getDescription() == null ? "" : status.getDescription();
    if (d.contains("Could not find xDS route matching RPC")
        || d.contains("Failed to find virtual host matching hostname")) {
      return ResponseFlag.NR.bit();
    }
    if (d.contains("Error retrieving CDS resource")) {
      return ResponseFlag.NC.bit();
    }
    if (d.contains("No usable endpoint from cluster")
        || d.contains("Error retrieving EDS resource")) {
      return ResponseFlag.UH.bit();
    }
    if (d.startsWith("xDS listener '")) {
      return ResponseFlag.NR.bit(); // InitialConfigGate: no listener, so no route, in time
    }
    if (d.startsWith("Cluster max concurrent requests limit of")) {
      return ResponseFlag.UO.bit();
    }
    if (d.startsWith("RPC terminated due to fault injection")) {
      return ResponseFlag.FI.bit();
    }
    if (code == Status.Code.DEADLINE_EXCEEDED) {
      return d.contains("of fault-injected delay") ? ResponseFlag.UT.bit() | ResponseFlag.DI.bit()
          : ResponseFlag.UT.bit();
    }
    if (d.startsWith("RST_STREAM closed stream")) {
      return ResponseFlag.UR.bit();
    }
    if (code == Status.Code.CANCELLED) {
      return ResponseFlag.DC.bit();
    }
    if (onConnection) {
      return ResponseFlag.UC.bit();
    }
    return code == Status.Code.UNAVAILABLE ? ResponseFlag.UF.bit() : 0;
  }

  /**
   * The flags of an inbound call: {@code DC} when the client cancelled it before the server
   * closed it.
   */
  public static int server(boolean cancelledByClient) {
    return cancelledByClient ? ResponseFlag.DC.bit() : 0;
  }

  private static ServiceUnavailableException refusal(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ServiceUnavailableException e) {
        return e;
      }
    }
    return null;
  }
}
