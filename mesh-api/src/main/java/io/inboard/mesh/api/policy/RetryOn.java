package io.inboard.mesh.api.policy;

import static java.util.Objects.requireNonNull;


import io.inboard.mesh.api.internal.RetryOnText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The conditions under which a call is retried, in Envoy's {@code x-envoy-retry-on} and
 * {@code x-envoy-retry-grpc-on} vocabulary, as Istio's {@code retries.retryOn} writes them.
 *
 * @param conditions HTTP-level and connection-level conditions
 * @param statusCodes HTTP status codes retried under {@link Condition#RETRIABLE_STATUS_CODES}
 * @param grpcCodes gRPC status codes that trigger a retry
 */
public record RetryOn(Set<Condition> conditions, Set<Integer> statusCodes, Set<GrpcCode> grpcCodes) {

  /** Istio's default: {@code connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes} with 503. */
  public static final RetryOn ISTIO_DEFAULT =
      parse("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes,503");

  /** A connection- or HTTP-level retry condition. */
  public enum Condition {
    /** Any 5xx response, a reset or a connect failure. */
    FIVE_XX("5xx"),
    /** 502, 503 or 504. */
    GATEWAY_ERROR("gateway-error"),
    /** The connection was reset or closed before a response arrived. */
    RESET("reset"),
    /** The connection could not be established (refused, unreachable, connect timeout). */
    CONNECT_FAILURE("connect-failure"),
    /** The server refused the stream before processing it (HTTP/2 REFUSED_STREAM, GOAWAY). */
    REFUSED_STREAM("refused-stream"),
    /** A status code listed in {@link RetryOn#statusCodes()}. */
    RETRIABLE_STATUS_CODES("retriable-status-codes"),
    /** 409. */
    RETRIABLE_4XX("retriable-4xx");

    private final String text;

    Condition(String text) {
      this.text = text;
    }

    /** The Envoy spelling, for example {@code gateway-error}. */
    public String text() {
      return text;
    }
  }

  /** The gRPC status codes Envoy's {@code x-envoy-retry-grpc-on} accepts. */
  public enum GrpcCode {
    CANCELLED, DEADLINE_EXCEEDED, INTERNAL, RESOURCE_EXHAUSTED, UNAVAILABLE;

    /** The Envoy spelling, for example {@code deadline-exceeded}. */
    public String text() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public RetryOn {
    // an EnumSet answers contains() with a bit test: it is asked on every response
    EnumSet<Condition> set = EnumSet.noneOf(Condition.class);
    set.addAll(conditions);
    conditions = Collections.unmodifiableSet(set);
    statusCodes = Set.copyOf(requireNonNull(statusCodes, "statusCodes"));
    grpcCodes = Set.copyOf(requireNonNull(grpcCodes, "grpcCodes"));
    for (int code : statusCodes) {
      if (code < 100 || code > 599) {
        throw new IllegalArgumentException(
            "retryOn: status code " + code + " (expected: 100..599)");
      }
    }
  }

  /**
   * Parses a comma-separated list such as {@code 5xx,connect-failure,unavailable,503}, as
   * Istio's {@code retries.retryOn} reads it. A bare number adds that status code and implies
   * {@code retriable-status-codes}, as in Istio. An empty list retries on nothing.
   *
   * @throws IllegalArgumentException for an unknown condition or a status outside 100..599,
   *     such as {@code retryOn: 'sometimes' (expected: one of 5xx, gateway-error, ...)}
   */
  public static RetryOn parse(String text) {
    return RetryOnText.parse("retryOn", text);
  }

  /** Whether an HTTP response with {@code status} should be retried. */
  public boolean retriesStatus(int status) {
    if (status >= 500 && conditions.contains(Condition.FIVE_XX)) {
      return true;
    }
    if ((status == 502 || status == 503 || status == 504)
        && conditions.contains(Condition.GATEWAY_ERROR)) {
      return true;
    }
    if (status == 409 && conditions.contains(Condition.RETRIABLE_4XX)) {
      return true;
    }
    return conditions.contains(Condition.RETRIABLE_STATUS_CODES) && statusCodes.contains(status);
  }

  /** Whether a failure to connect should be retried. */
  public boolean retriesConnectFailure() {
    return conditions.contains(Condition.CONNECT_FAILURE) || conditions.contains(Condition.FIVE_XX);
  }

  /** Whether a reset (connection closed before a response) should be retried. */
  public boolean retriesReset() {
    return conditions.contains(Condition.RESET) || conditions.contains(Condition.FIVE_XX);
  }

  /** The Envoy spelling, for example {@code 5xx,connect-failure,unavailable,503}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    conditions.stream().sorted().forEach(c -> parts.add(c.text));
    grpcCodes.stream().sorted().forEach(g -> parts.add(g.text()));
    statusCodes.stream().sorted().forEach(s -> parts.add(String.valueOf(s)));
    return String.join(",", parts);
  }
}
