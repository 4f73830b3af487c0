/**
 * Internals of the testing kit. Not API: anything here may change at any time.
 */
package io.inboard.mesh.testing.internal;
