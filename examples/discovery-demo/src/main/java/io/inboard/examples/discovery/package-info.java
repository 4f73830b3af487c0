/**
 * Kubernetes discovery without a control plane: a client resolves a service through the
 * Kubernetes API (a fake cluster here) and follows its pods as they scale and restart.
 */
package io.inboard.examples.discovery;
