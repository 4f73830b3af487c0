/**
 * Internals of workload identity and TLS: {@code pki} (keys, PEM, CSRs, certificate building,
 * shared with the control plane's CA), {@code identity} (the workload's rotating certificates),
 * {@code tls} (key and trust managers), {@code caapi} (Istio's CA API, generated).
 */
package io.inboard.mesh.security.internal;
