package io.inboard.benchmarks.access;

import io.inboard.mesh.security.internal.authz.AuthzDecision;
import io.inboard.mesh.security.internal.authz.Authorizer;
import io.inboard.mesh.security.internal.authz.PolicySource;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-request cost of an authorization decision over {@code rules} precompiled rules: one
 * DENY policy that does not match, then ALLOW policies of one rule each (a principal, a path
 * prefix, a method and a header condition), the request matching only the last, so every rule
 * is tried. {@code noPolicy} is the same call with no policy: the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthorizationBenchmark {
  @Param({"10", "100"})
  public int rules;

  private Authorizer authorizer;
  private BenchRequest lastRule;
  private BenchRequest denied;

  @Setup
  public void compile() throws Exception {
    List<PolicySource> policies = new ArrayList<>();
    policies.add(new PolicySource("default", "deny-admin", Map.of("action", "DENY",
        "rules", List.of(Map.of("to", List.of(Map.of("operation",
            Map.of("paths", List.of("/admin/*", "*/Delete")))))))));
    for (int i = 0; i < rules - 1; i++) {
      policies.add(new PolicySource("default", "allow-" + i, Map.of("rules", List.of(Map.of(
          "from", List.of(Map.of("source", Map.of("principals",
              List.of("cluster.local/ns/ns-" + i + "/sa/caller-" + i)))),
          "to", List.of(Map.of("operation", Map.of("paths", List.of("/svc" + i + ".Api/*"),
              "methods", List.of("POST")))),
          "when", List.of(Map.of("key", "request.headers[x-tenant]",
              "values", List.of("tenant-" + i))))))));
    }
    authorizer = Authorizer.compile(policies);
    int last = rules - 2;
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    lastRule = new BenchRequest("/svc" + last + ".Api/Get",
        "spiffe://cluster.local/ns/ns-" + last + "/sa/caller-" + last,
        Map.of("x-tenant", "tenant-" + last), loopback);
    denied = new BenchRequest("/other.Api/Get", "spiffe://cluster.local/ns/x/sa/y",
        Map.of(), loopback);
  }

  @Benchmark
  public AuthzDecision allowedByTheLastRule() {
    return authorizer.decide(lastRule);
  }

  @Benchmark
  public AuthzDecision deniedAfterEveryRule() {
    return authorizer.decide(denied);
  }

  @Benchmark
  public AuthzDecision noPolicy() {
    return Authorizer.NONE.decide(lastRule);
  }
}
