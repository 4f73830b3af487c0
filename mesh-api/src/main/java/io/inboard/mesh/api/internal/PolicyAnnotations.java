package io.inboard.mesh.api.internal;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.annotation.CircuitBreaker;
import io.inboard.mesh.api.annotation.ConnectionPool;
import io.inboard.mesh.api.annotation.LoadBalancer;
import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.annotation.OutlierDetection;
import io.inboard.mesh.api.annotation.Retry;
import io.inboard.mesh.api.annotation.Timeout;
import io.inboard.mesh.api.policy.CircuitBreakerPolicy;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.api.policy.RetryPolicy;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * Reads policy annotations ({@code io.inboard.mesh.api.annotation}) into the {@link ClientPolicy}
 * model. Data planes call this once when
 * a client is created, so invalid values fail then, with {@code where field: value (expected:
 * ...)}.
 */
public final class PolicyAnnotations {

  private PolicyAnnotations() {}

  /**
   * The service named by {@code type}'s {@link MeshClient}.
   *
   * @throws IllegalArgumentException if the annotation is missing or its value is invalid
   */
  public static ServiceName target(Class<?> type, String defaultNamespace) {
    MeshClient client = type.getAnnotation(MeshClient.class);
    if (client == null) {
      throw new IllegalArgumentException(type.getName()
          + ": no @MeshClient (expected: @MeshClient(\"service\") on the client interface)");
    }
    try {
      return ServiceName.parse(client.value(), defaultNamespace);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(type.getName() + " @MeshClient.value: " + e.getMessage(), e);
    }
  }

  /** The policy annotated on {@code element} (a type or a method); unset fields stay empty. */
  public static ClientPolicy read(AnnotatedElement element) {
    requireNonNull(element, "element");
    String where = describe(element);
    try {
      ClientPolicy.Builder b = ClientPolicy.builder();
      Timeout timeout = element.getAnnotation(Timeout.class);
      if (timeout != null) {
        b.timeout(Durations.requirePositive("@Timeout.value",
            Durations.parse("@Timeout.value", timeout.value())));
      }
      Retry retry = element.getAnnotation(Retry.class);
      if (retry != null) {
        b.retry(retry(retry));
      }
      CircuitBreaker cb = element.getAnnotation(CircuitBreaker.class);
      if (cb != null) {
        b.circuitBreaker(new CircuitBreakerPolicy(cb.failureRateThreshold(),
            cb.slidingWindowSize(), cb.minimumNumberOfCalls(),
            Durations.parse("@CircuitBreaker.waitDurationInOpenState", cb.waitDurationInOpenState()),
            cb.permittedCallsInHalfOpenState()));
      }
      LoadBalancer lb = element.getAnnotation(LoadBalancer.class);
      if (lb != null) {
        b.loadBalancer(loadBalancer(lb));
      }
      OutlierDetection od = element.getAnnotation(OutlierDetection.class);
      if (od != null) {
        b.outlierDetection(OutlierDetectionPolicy.builder()
            .consecutive5xxErrors(od.consecutive5xxErrors())
            .consecutiveGatewayErrors(od.consecutiveGatewayErrors())
            .interval(Durations.parse("@OutlierDetection.interval", od.interval()))
            .baseEjectionTime(
                Durations.parse("@OutlierDetection.baseEjectionTime", od.baseEjectionTime()))
            .maxEjectionPercent(od.maxEjectionPercent())
            .minHealthPercent(od.minHealthPercent())
            .build());
      }
      ConnectionPool pool = element.getAnnotation(ConnectionPool.class);
      if (pool != null) {
        ConnectionPoolSettings.Builder cp = ConnectionPoolSettings.builder()
            .maxConnections(pool.maxConnections())
            .maxPendingRequests(pool.maxPendingRequests())
            .maxRequests(pool.maxRequests())
            .maxRetries(pool.maxRetries())
            .connectTimeout(
                Durations.parse("@ConnectionPool.connectTimeout", pool.connectTimeout()))
            .maxRequestsPerConnection(pool.maxRequestsPerConnection());
        if (!pool.idleTimeout().isEmpty()) {
          cp.idleTimeout(Durations.parse("@ConnectionPool.idleTimeout", pool.idleTimeout()));
        }
        b.connectionPool(cp.build());
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " " + e.getMessage(), e);
    }
  }

  /**
   * The annotated policy for one method of a client interface: the method's annotations over
   * the interface's, field by field.
   */
  public static ClientPolicy read(Class<?> type, Method method) {
    return read(method).orElse(read(type));
  }

  private static RetryPolicy retry(Retry retry) {
    Duration perTry = retry.perTryTimeout().isEmpty()
        ? Duration.ZERO
        : Durations.parse("@Retry.perTryTimeout", retry.perTryTimeout());
    return new RetryPolicy(retry.attempts(), perTry,
        RetryOnText.parse("@Retry.retryOn", retry.retryOn()),
        Durations.parse("@Retry.backoff", retry.backoff()),
        Durations.parse("@Retry.maxBackoff", retry.maxBackoff()));
  }

  private static LoadBalancerPolicy loadBalancer(LoadBalancer lb) {
    int hashes = (lb.hashHeader().isEmpty() ? 0 : 1) + (lb.hashCookie().isEmpty() ? 0 : 1)
        + (lb.hashQueryParameter().isEmpty() ? 0 : 1);
    if (hashes > 1) {
      throw new IllegalArgumentException("@LoadBalancer: hashHeader '" + lb.hashHeader()
          + "', hashCookie '" + lb.hashCookie() + "', hashQueryParameter '"
          + lb.hashQueryParameter() + "' (expected: at most one hash key)");
    }
    if (!lb.hashHeader().isEmpty()) {
      return new LoadBalancerPolicy.ConsistentHash(
          new LoadBalancerPolicy.HashKey.Header(lb.hashHeader()), lb.minimumRingSize());
    }
    if (!lb.hashCookie().isEmpty()) {
      return new LoadBalancerPolicy.ConsistentHash(
          new LoadBalancerPolicy.HashKey.Cookie(lb.hashCookie()), lb.minimumRingSize());
    }
    if (!lb.hashQueryParameter().isEmpty()) {
      return new LoadBalancerPolicy.ConsistentHash(
          new LoadBalancerPolicy.HashKey.QueryParameter(lb.hashQueryParameter()),
          lb.minimumRingSize());
    }
    return new LoadBalancerPolicy.Simple(lb.value());
  }

  private static String describe(AnnotatedElement element) {
    if (element instanceof Class<?> c) {
      return c.getName();
    }
    if (element instanceof Method m) {
      return m.getDeclaringClass().getName() + "." + m.getName();
    }
    return element.toString();
  }
}
