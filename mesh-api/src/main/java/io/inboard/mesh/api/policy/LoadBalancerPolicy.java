package io.inboard.mesh.api.policy;

import static java.util.Objects.requireNonNull;

/**
 * How a client picks an endpoint. Mirrors Istio's {@code LoadBalancerSettings}.
 */
public sealed interface LoadBalancerPolicy {

  /** Round robin: Istio's and Inboard's default. */
  LoadBalancerPolicy ROUND_ROBIN = new Simple(Simple.Kind.ROUND_ROBIN);

  /** A policy that needs no request data. */
  record Simple(Kind kind) implements LoadBalancerPolicy {
    /** The simple algorithms. */
    public enum Kind {
      /** Each endpoint in turn. */
      ROUND_ROBIN,
      /** The endpoint with fewer outstanding requests, of two picked at random. */
      LEAST_REQUEST,
      /** A random endpoint. */
      RANDOM,
      /** The first reachable endpoint, kept until it fails (gRPC's {@code pick_first}). */
      PICK_FIRST
    }

    public Simple {
      requireNonNull(kind, "kind");
    }
  }

  /**
   * Consistent hashing on a request attribute (ring hash), so that the same key keeps reaching
   * the same endpoint while the endpoint set is unchanged.
   *
   * @param key what is hashed
   * @param minimumRingSize the ring's minimum number of virtual nodes (Envoy's default 1024)
   */
  record ConsistentHash(HashKey key, int minimumRingSize) implements LoadBalancerPolicy {
    public ConsistentHash {
      requireNonNull(key, "key");
      if (minimumRingSize < 1) {
        throw new IllegalArgumentException(
            "consistentHash.minimumRingSize: " + minimumRingSize + " (expected: >= 1)");
      }
    }
  }

  /** The request attribute a consistent hash is computed from. */
  sealed interface HashKey {
    /** A request header's value. */
    record Header(String name) implements HashKey {
      public Header {
        requireNonEmpty("consistentHash.httpHeaderName", name);
      }
    }

    /** An HTTP cookie's value. */
    record Cookie(String name) implements HashKey {
      public Cookie {
        requireNonEmpty("consistentHash.httpCookie.name", name);
      }
    }

    /** A query parameter's value. */
    record QueryParameter(String name) implements HashKey {
      public QueryParameter {
        requireNonEmpty("consistentHash.httpQueryParameterName", name);
      }
    }

    /** The caller's own address. */
    record SourceIp() implements HashKey {}

    private static void requireNonEmpty(String field, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(field + ": '" + value + "' (expected: a non-empty name)");
      }
    }
  }
}
