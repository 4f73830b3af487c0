/**
 * The HTTP data plane's engine: endpoint pickers, outlier ejection, admission control, the
 * retrying call and the declarative-interface proxy. Everything here may change at any time;
 * use {@link io.inboard.mesh.http} instead.
 */
package io.inboard.mesh.http.internal;
