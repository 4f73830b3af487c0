package io.inboard.mesh.controlplane.internal.model;

import io.grpc.Status;
import java.util.Locale;

/** gRPC status names as Istio writes them ({@code UNAVAILABLE}). */
public final class GrpcStatuses {
  private GrpcStatuses() {}

  public static boolean isName(String name) {
    try {
      Status.Code.valueOf(name.toUpperCase(Locale.ROOT));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static int code(String name) {
    return Status.Code.valueOf(name.toUpperCase(Locale.ROOT)).value();
  }
}
