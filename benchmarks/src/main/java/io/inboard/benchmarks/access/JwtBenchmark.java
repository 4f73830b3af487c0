package io.inboard.benchmarks.access;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.jwt.JwtAuthenticator;
import io.inboard.mesh.security.internal.jwt.JwtOutcome;
import java.net.InetAddress;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-request cost of the JWT step: a token seen before (answered from the cache; the
 * header's text is a fresh String each time, as a server's is, so its hash is computed), and a
 * token seen for the first time (parsed, signature verified), for RS256 and ES256 keys. {@code
 * noToken} (no token in the request) is the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JwtBenchmark {
  @Param({"RS256", "ES256"})
  public String algorithm;

  private List<PolicySource> policy;
  private JwtAuthenticator authenticator;
  private char[] token;
  private BenchRequest none;

  @Setup
  public void sign() throws Exception {
    JWK key = algorithm.equals("RS256") ? new RSAKeyGenerator(2048).keyID("k").generate()
        : new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(algorithm)).keyID("k").build();
    SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder()
        .issuer("bench@inboard.example").subject("alice").audience("shop")
        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
        .claim("groups", List.of("group1", "group2")).build());
    jwt.sign(key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key));
    token = ("Bearer " + jwt.serialize()).toCharArray();
    policy = List.of(new PolicySource("default", "jwt", Map.of("jwtRules", List.of(Map.of(
        "issuer", "bench@inboard.example", "audiences", List.of("shop"),
        "jwks", new JWKSet(key.toPublicJWK()).toString())))));
    authenticator = JwtAuthenticator.compile(policy);
    none = new BenchRequest("/a", "", Map.of(), InetAddress.getByName("127.0.0.1"));
  }

  /** A fresh authenticator (an empty cache) before each first-sight call, made off the clock. */
  @State(Scope.Thread)
  public static class EmptyCache {
    JwtAuthenticator authenticator;

    @Setup(Level.Invocation)
    public void compile(JwtBenchmark bench) {
      authenticator = JwtAuthenticator.compile(bench.policy);
    }
  }

  @Benchmark
  public JwtOutcome cachedToken() {
    return authenticator.authenticate(request());
  }

  @Benchmark
  public JwtOutcome firstSightOfAToken(EmptyCache fresh) {
    return fresh.authenticator.authenticate(request());
  }

  @Benchmark
  public JwtOutcome noToken() {
    return authenticator.authenticate(none);
  }

  private BenchRequest request() {
    return new BenchRequest("/a", "", Map.of("authorization", new String(token)),
        none.sourceIp());
  }
}
