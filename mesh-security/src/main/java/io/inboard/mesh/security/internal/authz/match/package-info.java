/**
 * The per-request stage of authorization: the matchers the compile stage builds (one per
 * source, operation or condition field), and the text, address, path and SPIFFE-ID primitives
 * they compare with. Nothing here parses configuration on a request: a decision walks the
 * matchers, and only an unusual path (to normalize) or an {@code x-forwarded-for} header (for
 * the remote IP) makes it derive anything from the request ({@code ResolvedRequest}).
 */
package io.inboard.mesh.security.internal.authz.match;
