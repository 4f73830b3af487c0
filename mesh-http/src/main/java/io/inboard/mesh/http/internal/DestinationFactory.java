package io.inboard.mesh.http.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.http.internal.resilience.CircuitBreakers;
import io.inboard.mesh.http.internal.resilience.Destination;
import io.inboard.mesh.http.internal.transport.BlockingSends;
import io.inboard.mesh.http.internal.transport.Transport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Builds destinations for both routers from what a client shares among them: one JDK transport
 * per connect timeout and one circuit breaker per name (a service, or an xDS cluster).
 */
final class DestinationFactory {

  private final Executor executor;
  private final BlockingSends blockingPool;
  private final Map<Duration, Transport> transports = new ConcurrentHashMap<>();
  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();

  /**
   * @param blockingPool the pool for blocking sends, or {@code null} where async sends are safe
   *     (see {@link Transport#ASYNC_IS_SAFE})
   */
  DestinationFactory(Executor executor, BlockingSends blockingPool) {
    this.executor = executor;
    this.blockingPool = blockingPool;
  }

  /**
   * A destination for {@code service} under {@code policy}, whose circuit breaker (if the
   * policy has one) is the one named {@code breakerName}. Its discovery is not started.
   */
  Destination create(String breakerName, ServiceName service, ClientPolicy policy) {
    CircuitBreaker breaker = policy.circuitBreaker()
        .map(cb -> breakers.circuitBreaker(breakerName, CircuitBreakers.config(cb)))
        .orElse(null);
    Transport transport = transport(policy.connectionPool()
        .orElse(ConnectionPoolSettings.DEFAULT).connectTimeout());
    return new Destination(service, policy, breaker, transport);
  }

  /** The circuit breaker named {@code name}, if a destination has created it. */
  Optional<CircuitBreaker> breaker(String name) {
    return breakers.find(name);
  }

  /** The shared JDK transport for {@code connectTimeout}. */
  Transport transport(Duration connectTimeout) {
    return transports.computeIfAbsent(connectTimeout, t -> new Transport(HttpClient.newBuilder()
        .executor(executor)
        // Plain HTTP/1.1: an h2c upgrade would cost a round trip on every new connection.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(t)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build(), blockingPool));
  }
}
