package io.inboard.mesh.grpc.internal.telemetry;

import io.grpc.Metadata;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The request headers a telemetry policy reads (custom tags, tag overrides), copied into a
 * report's details. The names are asked of the telemetry again only when its policy changes
 * (a policy computes them anew on each ask), and no map is made when the policy reads none,
 * which is the usual case. One per channel or server hook.
 */
public final class CapturedHeaders {

  private final MeshTelemetry telemetry;
  private volatile Names names;

  private record Names(TelemetryPolicy policy, Set<String> names) {}

  public CapturedHeaders(MeshTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  /**
   * The values of the captured names in {@code headers}, or else in {@code context} (the
   * headers an outbound call will carry onwards); names without a value are left out.
   */
  public Map<String, String> read(Metadata headers, RequestContext context) {
    Set<String> wanted = names();
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

  private Set<String> names() {
    TelemetryPolicy policy = telemetry.policy();
    Names n = names;
    if (n == null || n.policy() != policy) {
      n = new Names(policy, Set.copyOf(telemetry.capturedHeaders()));
      names = n;
    }
    return n.names();
  }
}
