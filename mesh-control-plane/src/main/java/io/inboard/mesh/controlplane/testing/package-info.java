/**
 * Test support for users of the control plane: {@link
 * io.inboard.mesh.controlplane.testing.ControlPlaneExtension}, a real control plane on ephemeral
 * loopback ports as a JUnit 5 extension. Use it with {@code io.inboard:mesh-testing}'s backends
 * and mock cluster.
 */
package io.inboard.mesh.controlplane.testing;
