/**
 * Namespace-label injection, proxyless: the mutating admission webhook the control plane serves
 * on its injection port ({@code POST /inject}, HTTPS), and the same mutation applied offline by
 * {@code inboardctl kube-inject}. No container is added; a pod gets what a {@code Mesh} built
 * with no arguments reads: env, volumes and mounts ({@link InjectionTemplate}), Istio's canonical
 * labels and {@code security.istio.io/tlsMode: istio}, and the status annotation.
 *
 * <p>Flow of one admission request: {@link InjectionWebhook} checks the HTTP request →
 * {@link AdmissionReviews} reads the AdmissionReview → {@link PodInjector} decides
 * ({@link InjectionPolicy}) and mutates a copy ({@link PodMutation}) → {@link JsonPatchDiff}
 * turns the difference into RFC 6902 operations → the AdmissionReview response. Offline,
 * {@link ManifestInjection} finds the pod templates of a manifest and calls the same
 * {@link PodInjector}. In Kubernetes mode {@link WebhookCaBundle} keeps the webhook
 * configuration's {@code caBundle} equal to the CA's roots.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.controlplane.internal.inject;
