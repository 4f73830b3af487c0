package io.inboard.mesh.controlplane.internal.translate;

import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.time.Duration;

/** Conversions into protobuf and Envoy value types. */
public final class Protos {
  private Protos() {}

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  /** A percentage {@code 0..100} with four decimals, as Istio translates it. */
  static FractionalPercent percent(double percent) {
    return FractionalPercent.newBuilder()
        .setNumerator((int) Math.round(percent * 10_000))
        .setDenominator(FractionalPercent.DenominatorType.MILLION).build();
  }
}
