package io.inboard.mesh.api;

import static java.util.Objects.requireNonNull;

/**
 * A call could not be sent because the target service has nowhere to go: it does not exist,
 * its namespace does not exist, it has no ready endpoints, or its circuit is open.
 *
 * <p>The message always names the service and the namespace that was searched. gRPC clients
 * see this as status {@code UNAVAILABLE}; HTTP clients get it as the 503-equivalent exception.
 */
public class ServiceUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a service cannot be reached. */
  public enum Reason {
    /** No Service of that name exists in the namespace. */
    SERVICE_NOT_FOUND,
    /** The namespace itself does not exist. */
    NAMESPACE_NOT_FOUND,
    /** The Service exists but none of its endpoints is ready (or serving while terminating). */
    NO_READY_ENDPOINTS,
    /** The Service has no port matching the requested one. */
    PORT_NOT_FOUND,
    /** Discovery has not received any state for the service yet. */
    NOT_YET_DISCOVERED,
    /** The client's circuit breaker is open for the service. */
    CIRCUIT_OPEN,
    /** Every endpoint is ejected or over its connection-pool limit. */
    OVERLOADED,
    /**
     * The destination requires (m)TLS and this workload cannot speak it: it has no mesh identity
     * or no certificate yet, or the destination's TLS settings cannot be used. Never sent in
     * plaintext instead.
     */
    TLS_UNAVAILABLE
  }

  private final ServiceName service;
  private final Reason reason;

  public ServiceUnavailableException(ServiceName service, Reason reason, String detail) {
    this(service, reason, detail, null);
  }

  public ServiceUnavailableException(
      ServiceName service, Reason reason, String detail, Throwable cause) {
    super(message(requireNonNull(service, "service"), requireNonNull(reason, "reason"), detail),
        cause);
    this.service = service;
    this.reason = reason;
  }

  private static String message(ServiceName service, Reason reason, String detail) {
    String base = "service '" + service.name() + "' in namespace '" + service.namespace() + "'";
    String what = switch (reason) {
      case SERVICE_NOT_FOUND -> "not found";
      case NAMESPACE_NOT_FOUND -> "not found: namespace '" + service.namespace()
          + "' does not exist";
      case NO_READY_ENDPOINTS -> "has no ready endpoints";
      case PORT_NOT_FOUND -> "has no such port";
      case NOT_YET_DISCOVERED -> "not discovered yet";
      case CIRCUIT_OPEN -> "is unavailable: circuit breaker is open";
      case OVERLOADED -> "is overloaded";
      case TLS_UNAVAILABLE -> "requires TLS this workload cannot provide";
    };
    return detail == null || detail.isEmpty() ? base + " " + what : base + " " + what + ": " + detail;
  }

  /** The service that could not be reached. */
  public ServiceName service() {
    return service;
  }

  /** Why it could not be reached. */
  public Reason reason() {
    return reason;
  }
}
