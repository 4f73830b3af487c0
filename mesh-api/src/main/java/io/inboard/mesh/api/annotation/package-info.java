/**
 * Declarative client policy: put {@link io.inboard.mesh.api.annotation.MeshClient} on a client
 * interface to name the service it calls, and {@link io.inboard.mesh.api.annotation.Timeout},
 * {@link io.inboard.mesh.api.annotation.Retry},
 * {@link io.inboard.mesh.api.annotation.CircuitBreaker},
 * {@link io.inboard.mesh.api.annotation.LoadBalancer},
 * {@link io.inboard.mesh.api.annotation.OutlierDetection} and
 * {@link io.inboard.mesh.api.annotation.ConnectionPool} on the interface or its methods to set
 * the policy of its calls. Each annotation reads into the matching record of
 * {@code io.inboard.mesh.api.policy} (for example {@code @OutlierDetection} into
 * {@link io.inboard.mesh.api.policy.OutlierDetectionPolicy}); invalid values fail when the
 * client is created, naming the annotation, field and value.
 */
package io.inboard.mesh.api.annotation;
