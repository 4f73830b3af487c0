package io.inboard.mesh.grpc.internal.route;

import io.inboard.mesh.api.internal.MeshXdsNames;

/**
 * One {@code request_mirror_policies} entry of a route.
 *
 * @param cluster the mirror's cluster
 * @param listener the xDS Listener the copies go to ({@link MeshXdsNames#mirrorListener})
 * @param partsPerMillion the share of calls mirrored, 0 to 1,000,000 (from {@code
 *     runtime_fraction.default_value}; all calls when unset)
 * @param shadowSuffix whether {@code -shadow} is appended to the copy's host (Envoy's default;
 *     off with {@code disable_shadow_host_suffix_append})
 */
record MirrorPolicy(String cluster, String listener, int partsPerMillion, boolean shadowSuffix) {

  static final int MILLION = 1_000_000;

  /** The authority a copy of a call to {@code authority} carries: {@code host-shadow[:port]}. */
  String shadowAuthority(String authority) {
    if (!shadowSuffix || authority == null) {
      return authority;
    }
    int colon = authority.lastIndexOf(':');
    // an IPv6 literal's colons are inside brackets
    if (colon < 0 || authority.indexOf(']', colon) >= 0) {
      return authority + "-shadow";
    }
    return authority.substring(0, colon) + "-shadow" + authority.substring(colon);
  }
}
