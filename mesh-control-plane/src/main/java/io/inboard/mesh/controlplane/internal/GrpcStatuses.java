package io.inboard.mesh.controlplane.internal;

import io.grpc.Status;
import java.util.Locale;

/** gRPC status names as Istio writes them ({@code UNAVAILABLE}). */
final class GrpcStatuses {
  private GrpcStatuses() {}

  static boolean isName(String name) {
    try {
      Status.Code.valueOf(name.toUpperCase(Locale.ROOT));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static int code(String name) {
    return Status.Code.valueOf(name.toUpperCase(Locale.ROOT)).value();
  }
}
