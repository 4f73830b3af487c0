/**
 * Inboard's HTTP data plane: {@link io.inboard.mesh.http.MeshHttpClient}, an HTTP client that
 * resolves {@code http://service:port/} through the mesh and applies its load balancing,
 * retries, timeouts, connection-pool limits, outlier ejection and circuit breaking; and
 * declarative client interfaces ({@link io.inboard.mesh.http.MeshHttpClient#create}) mapped
 * with {@link io.inboard.mesh.http.annotation}.
 */
package io.inboard.mesh.http;
