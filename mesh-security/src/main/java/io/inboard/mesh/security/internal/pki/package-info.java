/**
 * Keys, PEM, CSRs and certificate building, shared by the workload side (which makes keys and
 * CSRs) and the control plane's CA (which signs them).
 */
package io.inboard.mesh.security.internal.pki;
