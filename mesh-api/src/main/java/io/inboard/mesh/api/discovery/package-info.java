/**
 * Where a mesh finds the endpoints of the services its clients call. Implement
 * {@link io.inboard.mesh.api.discovery.EndpointDiscovery} and pass it to
 * {@code Mesh.builder().discovery(...)}, or register a
 * {@link io.inboard.mesh.api.discovery.DiscoveryProvider} with {@link java.util.ServiceLoader}
 * for a {@link io.inboard.mesh.api.DiscoveryMode} ({@code mesh-k8s-discovery} provides
 * {@code KUBERNETES}). {@link io.inboard.mesh.api.discovery.StaticDiscovery} is a fixed,
 * in-memory one for tests and demos.
 */
package io.inboard.mesh.api.discovery;
