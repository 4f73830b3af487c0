/**
 * {@code inboardctl}: starts a control plane, and applies, deletes, reads and analyzes Istio
 * resources through a control plane's admin API; {@code analyze} also works offline, with the
 * control plane's own parser. Run {@link io.inboard.mesh.controlplane.cli.InboardCtl#main}.
 */
package io.inboard.mesh.controlplane.cli;
