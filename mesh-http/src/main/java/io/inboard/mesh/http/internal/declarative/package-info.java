/**
 * Declarative clients: the dynamic proxy behind {@code MeshHttpClient.create}. Every method's
 * mapping ({@code @Get}, {@code @PathParam}, ... into a {@code MethodMapping}, with its path
 * template and return kind) and per-call policy is parsed and checked when the proxy is created.
 *
 * <p>Data in: a method invocation. Data out: the built request and the method's
 * {@link io.inboard.mesh.http.internal.resilience.CallPolicy}, sent through
 * {@link io.inboard.mesh.http.internal.ClientCore} to the service the client was bound to
 * ({@link io.inboard.mesh.http.internal.router.BoundService}); the response is adapted to the
 * method's return type.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.declarative;
