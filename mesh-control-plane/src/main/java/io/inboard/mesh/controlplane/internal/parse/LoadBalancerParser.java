package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy.HashKey;
import java.util.Optional;

/** Reads Istio's {@code LoadBalancerSettings}. */
public final class LoadBalancerParser {
  private LoadBalancerParser() {}

  static Optional<LoadBalancerPolicy> parse(Node n, Warnings warnings) {
    if (!n.present()) {
      return Optional.empty();
    }
    IstioFields.LOAD_BALANCER.check(n, warnings);
    if (n.get("simple").present() == n.get("consistentHash").present()) {
      throw n.fail("exactly one of simple, consistentHash");
    }
    if (n.get("simple").present()) {
      Node s = n.get("simple");
      return Optional.of(switch (s.string()) {
        case "ROUND_ROBIN", "UNSPECIFIED" -> LoadBalancerPolicy.ROUND_ROBIN;
        case "LEAST_REQUEST", "LEAST_CONN" ->
            new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.LEAST_REQUEST);
        case "RANDOM" -> {
          warnings.add(s.path(), "grpc-xds clients have no random policy; they use round robin");
          yield new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.RANDOM);
        }
        case "PASSTHROUGH" -> {
          warnings.add(s.path(), "there is no original destination for gRPC clients; they use"
              + " round robin");
          yield LoadBalancerPolicy.ROUND_ROBIN;
        }
        default -> throw s.fail(
            "one of ROUND_ROBIN, LEAST_REQUEST, LEAST_CONN, RANDOM, PASSTHROUGH, UNSPECIFIED");
      });
    }
    Node c = n.get("consistentHash");
    IstioFields.CONSISTENT_HASH.check(c, warnings);
    HashKey key;
    if (c.get("httpHeaderName").present()) {
      key = new HashKey.Header(c.get("httpHeaderName").string().toLowerCase());
    } else if (c.get("httpCookie").present()) {
      key = new HashKey.Cookie(c.get("httpCookie").get("name").string());
      warnings.add(c.get("httpCookie").path(), "gRPC calls carry no cookies; every call hashes"
          + " alike");
    } else if (c.get("httpQueryParameterName").present()) {
      key = new HashKey.QueryParameter(c.get("httpQueryParameterName").string());
      warnings.add(c.get("httpQueryParameterName").path(), "gRPC calls carry no query string;"
          + " every call hashes alike");
    } else if (c.get("useSourceIp").present()) {
      key = new HashKey.SourceIp();
      warnings.add(c.get("useSourceIp").path(), "grpc-xds clients cannot hash on source IP;"
          + " each channel hashes to one endpoint");
    } else {
      throw c.fail("one of httpHeaderName, httpCookie, httpQueryParameterName, useSourceIp");
    }
    Node ring = c.get("ringHash").present()
        ? c.get("ringHash").get("minimumRingSize") : c.get("minimumRingSize");
    return Optional.of(new LoadBalancerPolicy.ConsistentHash(key,
        ring.integer(1, 8_388_608, 1024)));
  }
}
