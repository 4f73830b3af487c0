/**
 * Stage 2, parsing: multi-document YAML, or documents already loaded, become validated
 * {@code model} resources ({@code ResourceParser} and the per-kind parsers and validators).
 * Every error names resource, field, value and expectation; fields that cannot be honoured give
 * warnings. Input arrives from the sources, the admin API and {@code inboardctl analyze}; the
 * result goes to the {@code store}. Internal: may change at any time, without notice.
 */
package io.inboard.mesh.controlplane.internal.parse;
