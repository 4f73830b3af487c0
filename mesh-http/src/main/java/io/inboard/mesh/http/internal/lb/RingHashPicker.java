package io.inboard.mesh.http.internal.lb;

import java.util.Arrays;
import java.util.List;

/**
 * Consistent hashing on a ring of virtual nodes, as Envoy's {@code RING_HASH}: every endpoint
 * owns {@code ceil(minimumRingSize / n)} points rounded up to a power of two, and a key goes to
 * the owner of the first point at or after its hash. The rounding keeps each endpoint's points
 * the same across most scale changes, so adding or removing an endpoint mostly moves only the
 * keys that endpoint gains or owned. The ring is built once per endpoint-set change.
 */
final class RingHashPicker implements EndpointPicker {

  private final long[] points;
  private final EndpointState[] owners;
  private final int distinct;

  RingHashPicker(List<EndpointState> endpoints, int minimumRingSize) {
    int n = endpoints.size();
    int perEndpoint = perEndpoint(minimumRingSize, n);
    long[][] entries = new long[n * perEndpoint][];
    int k = 0;
    StringBuilder sb = new StringBuilder();
    for (int e = 0; e < n; e++) {
      String authority = endpoints.get(e).authority();
      for (int v = 0; v < perEndpoint; v++) {
        sb.setLength(0);
        sb.append(authority).append('_').append(v);
        entries[k++] = new long[] {Hashing.hash(sb), e};
      }
    }
    // Ties (vanishingly rare) break by endpoint index so every client builds the same ring.
    Arrays.sort(entries, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    points = new long[entries.length];
    owners = new EndpointState[entries.length];
    for (int i = 0; i < entries.length; i++) {
      points[i] = entries[i][0];
      owners[i] = endpoints.get((int) entries[i][1]);
    }
    distinct = n;
  }

  static int perEndpoint(int minimumRingSize, int endpoints) {
    int wanted = Math.max(1, (minimumRingSize + endpoints - 1) / endpoints);
    if (wanted <= 1 || wanted > (1 << 30)) {
      return wanted;
    }
    return Integer.highestOneBit(wanted - 1) << 1; // the next power of two >= wanted
  }

  @Override
  public EndpointState pick(long hash, EndpointState avoid) {
    int i = Arrays.binarySearch(points, hash);
    if (i < 0) {
      i = -i - 1;
    }
    if (i == points.length) {
      i = 0;
    }
    EndpointState owner = owners[i];
    if (owner != avoid || distinct == 1) {
      return owner;
    }
    // A retry walks on to the next distinct endpoint, as Envoy does.
    for (int step = 1; step < owners.length; step++) {
      EndpointState next = owners[(i + step) % owners.length];
      if (next != avoid) {
        return next;
      }
    }
    return owner;
  }

  /** The number of virtual nodes on the ring. */
  int size() {
    return points.length;
  }
}
