package io.inboard.mesh.grpc.internal.telemetry;

import io.grpc.Metadata;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The request headers a telemetry policy reads (custom tags, tag overrides), copied into a
 * report's details. No map is made when the policy reads none, which is the usual case. One per
 * channel or server hook.
 */
public final class CapturedHeaders {

  private final MeshTelemetry telemetry;

  public CapturedHeaders(MeshTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  /**
   * The values of the captured names in {@code headers}, or else in {@code context} (the
   * headers an outbound call will carry onwards); names without a value are left out.
   */
  public Map<String, String> read(Metadata headers, RequestContext context) {
    Set<String> wanted = telemetry.capturedHeaders();
    if (wanted.isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new HashMap<>();
    for (String name : wanted) {
      String v = name.endsWith(Metadata.BINARY_HEADER_SUFFIX) ? null
          : headers.get(MetadataKeys.of(name));
      if (v == null) {
        v = context.header(name);
      }
      if (v != null) {
        values.put(name, v);
      }
    }
    return values;
  }
}
