/**
 * The request being served and the headers it propagates:
 * {@link io.inboard.mesh.api.context.RequestContext} (current per thread, carried to other
 * threads by {@link io.inboard.mesh.api.context.ContextExecutors}) and
 * {@link io.inboard.mesh.api.context.HeaderPropagation}.
 */
package io.inboard.mesh.api.context;
