/**
 * Istio's bookinfo sample rebuilt on Inboard: {@link io.inboard.examples.bookinfo.Bookinfo}
 * starts one workload by name (productpage-v1, details-v1, reviews-v1/v2/v3, ratings-v1), each
 * with one {@code Mesh} that carries its identity, labels and control plane. The sub-packages hold
 * one service each; the services know nothing about routing, retries or faults.
 */
package io.inboard.examples.bookinfo;
