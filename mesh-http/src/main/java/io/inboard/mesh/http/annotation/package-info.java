/**
 * Request-mapping annotations for declarative HTTP client interfaces, read once by
 * {@link io.inboard.mesh.http.MeshHttpClient#create}. Invalid mappings fail there, naming the
 * method, the annotation field, its value and what was expected.
 *
 * <p>Supported return types: {@code String}, {@code byte[]}, {@code void},
 * {@code HttpResponse<String>}, {@code HttpResponse<byte[]>}, and {@code CompletableFuture} of
 * any of these ({@code CompletableFuture<Void>} for no body). Body-returning methods throw
 * {@link io.inboard.mesh.http.MeshHttpStatusException} for a status outside 2xx; methods that
 * return {@code HttpResponse} hand back every status.
 */
package io.inboard.mesh.http.annotation;
