/** Internal to {@code mesh-telemetry}; may change at any time. */
package io.inboard.mesh.telemetry.internal;
