package io.inboard.mesh.http.internal.route;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A route's fault injection, from its {@code typed_per_filter_config} for
 * {@code envoy.filters.http.fault}: a fixed delay and an abort, each applied to a random share
 * of calls (in millionths). An abort's gRPC status becomes its HTTP equivalent (see
 * {@link GrpcHttpStatus}), as a gRPC-to-HTTP gateway would answer.
 *
 * @param delayNanos the delay, or 0 for none
 * @param delayPerMillion the share of calls delayed, in millionths
 * @param abortStatus the HTTP status of an abort, or 0 for none
 * @param abortPerMillion the share of calls aborted, in millionths
 */
public record XdsFault(long delayNanos, int delayPerMillion, int abortStatus, int abortPerMillion) {

  public static final String FILTER = "envoy.filters.http.fault";

  /** The fault for a route's per-filter config, or {@code null} when it injects none. */
  static XdsFault of(Any config, String field) {
    HTTPFault f;
    try {
      Any inner = config;
      if (config.is(FilterConfig.class)) {
        inner = config.unpack(FilterConfig.class).getConfig();
      }
      f = inner.unpack(HTTPFault.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(field + ": " + config.getTypeUrl()
          + " (expected: envoy.extensions.filters.http.fault.v3.HTTPFault)");
    }
    long delay = 0;
    int delayShare = 0;
    if (f.hasDelay()) {
      if (!f.getDelay().hasFixedDelay()) {
        throw new IllegalArgumentException(field + ".delay: header_delay"
            + " (expected: fixed_delay)");
      }
      var d = f.getDelay().getFixedDelay();
      delay = d.getSeconds() * 1_000_000_000L + d.getNanos();
      delayShare = perMillion(f.getDelay().getPercentage());
    }
    int status = 0;
    int abortShare = 0;
    if (f.hasAbort()) {
      var a = f.getAbort();
      status = switch (a.getErrorTypeCase()) {
        case HTTP_STATUS -> a.getHttpStatus();
        case GRPC_STATUS -> GrpcHttpStatus.of(a.getGrpcStatus());
        default -> throw new IllegalArgumentException(field + ".abort: " + a.getErrorTypeCase()
            + " (expected: http_status or grpc_status)");
      };
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException(field + ".abort.http_status: " + status
            + " (expected: 200..599)");
      }
      abortShare = perMillion(a.getPercentage());
    }
    return delayShare == 0 && abortShare == 0 ? null
        : new XdsFault(delay, delayShare, status, abortShare);
  }

  private static int perMillion(FractionalPercent p) {
    long n = p.getNumerator();
    long scaled = switch (p.getDenominator()) {
      case HUNDRED -> n * 10_000;
      case TEN_THOUSAND -> n * 100;
      default -> n;
    };
    return (int) Math.min(1_000_000, scaled);
  }

  /** Draws whether this call is delayed. */
  public boolean delays() {
    return delayPerMillion > 0 && ThreadLocalRandom.current().nextInt(1_000_000) < delayPerMillion;
  }

  /** Draws whether this call is aborted. */
  public boolean aborts() {
    return abortPerMillion > 0 && ThreadLocalRandom.current().nextInt(1_000_000) < abortPerMillion;
  }
}
