/**
 * A fake Kubernetes cluster for tests: {@link io.inboard.mesh.testing.MockCluster} runs the
 * fabric8 CRUD mock API server and plays the EndpointSlice controller, so that mesh clients can
 * be tested against real API watches.
 */
package io.inboard.mesh.testing;
