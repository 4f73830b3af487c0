package io.inboard.mesh.grpc.internal.k8s;

import io.grpc.Status;
import io.inboard.mesh.api.policy.RetryOn;
import java.util.EnumSet;
import java.util.Set;

/**
 * Maps Envoy's {@code retryOn} vocabulary onto gRPC status codes, the only thing gRPC's retry
 * policy (gRFC A6) can match on.
 *
 * <ul>
 *   <li>gRPC codes ({@code unavailable}, {@code cancelled}, {@code deadline-exceeded},
 *       {@code internal}, {@code resource-exhausted}): the same code.
 *   <li>{@code connect-failure}, {@code refused-stream}, {@code reset}: {@code UNAVAILABLE},
 *       which is how grpc-java reports each of them.
 *   <li>{@code gateway-error} (502, 503, 504): {@code UNAVAILABLE}, as gRPC's HTTP-to-status
 *       mapping turns all three into it.
 *   <li>{@code 5xx}: {@code UNAVAILABLE} and {@code INTERNAL} (a server or proxy failing).
 *   <li>{@code retriable-status-codes} with 429, 502, 503 or 504: {@code UNAVAILABLE}.
 *   <li>Other HTTP status codes and {@code retriable-4xx}: nothing; gRPC responses are HTTP 200.
 * </ul>
 */
final class GrpcRetryCodes {

  private GrpcRetryCodes() {}

  /** The gRPC codes {@code retryOn} asks to retry; empty when none applies to gRPC. */
  static Set<Status.Code> of(RetryOn retryOn) {
    Set<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
    for (RetryOn.GrpcCode g : retryOn.grpcCodes()) {
      codes.add(Status.Code.valueOf(g.name()));
    }
    for (RetryOn.Condition c : retryOn.conditions()) {
      switch (c) {
        case CONNECT_FAILURE, REFUSED_STREAM, RESET, GATEWAY_ERROR -> codes.add(Status.Code.UNAVAILABLE);
        case FIVE_XX -> {
          codes.add(Status.Code.UNAVAILABLE);
          codes.add(Status.Code.INTERNAL);
        }
        case RETRIABLE_STATUS_CODES -> {
          for (int status : retryOn.statusCodes()) {
            if (status == 429 || status == 502 || status == 503 || status == 504) {
              codes.add(Status.Code.UNAVAILABLE);
            }
          }
        }
        case RETRIABLE_4XX -> { }
      }
    }
    return codes;
  }
}
