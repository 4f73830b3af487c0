/**
 * Stage 1, sources: where configuration comes from. {@code ConfigDirectory} follows a YAML
 * directory, {@code IstioSync} and {@code EndpointSync} follow the Kubernetes catalog (Istio
 * custom resources as documents, Services and EndpointSlices), {@code AutoRegistration} turns
 * connected workloads into endpoints. Text and documents go to the {@code parse} stage; parsed
 * resources and endpoint changes go to the engine, which stores them and publishes once per
 * batch. Internal: may change at any time, without notice.
 */
package io.inboard.mesh.controlplane.internal.source;
