package io.inboard.mesh.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as a client of one remote service, named logically rather than by URL:
 * {@code reviews}, {@code reviews.default} or {@code reviews.default.svc.cluster.local:9080}.
 * A name without a namespace resolves in the calling workload's namespace.
 *
 * <p>Policy annotations ({@link Retry}, {@link Timeout}, {@link CircuitBreaker},
 * {@link LoadBalancer}, {@link OutlierDetection}, {@link ConnectionPool}) may sit on the same
 * interface, and on its methods to override the interface's per method. Control-plane policy
 * (a VirtualService or DestinationRule for the service) overrides both, field by field.
 *
 * <pre>{@code
 * @MeshClient("reviews:9080")
 * @Timeout("3s")
 * @Retry(attempts = 1, retryOn = "5xx,connect-failure")
 * interface ReviewsClient { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MeshClient {
  /** The service: {@code NAME[.NAMESPACE[.svc[.DOMAIN]]][:PORT]}. */
  String value();
}
