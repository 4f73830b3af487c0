package io.inboard.mesh.security.internal.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.security.internal.authz.PolicyException;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.authz.RequestAuth;
import io.inboard.mesh.security.internal.jwt.HeaderChange;
import java.net.InetAddress;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundAccessTest {
  private static final String ISSUER = "issuer@example.com";

  private final ECKey key = generate();
  private final List<PolicySource> jwt = List.of(new PolicySource("default", "jwt",
      Map.of("jwtRules", List.of(Map.of("issuer", ISSUER,
          "jwks", new JWKSet(key.toPublicJWK()).toString())))));
  private final List<PolicySource> requirePrincipal = List.of(new PolicySource("default",
      "require", Map.of("rules", List.of(Map.of("from", List.of(Map.of("source",
          Map.of("requestPrincipals", List.of("*")))))))));

  @Test
  void withoutPolicyEveryRequestIsAllowedUnchecked() {
    try (Mesh mesh = mesh()) {
      InboundAccess access = InboundAccess.of(mesh);
      assertThat(access.active()).isFalse();
      assertThat(access.check(new Request(Map.of()))).isSameAs(AccessVerdict.ALLOW);
    }
  }

  @Test
  void anInvalidTokenIs401ATokenlessRequestUnderARequiredPrincipalIs403() {
    try (Mesh mesh = mesh()) {
      InboundAccess access = InboundAccess.of(mesh);
      access.set(requirePrincipal, jwt);
      assertThat(access.check(new Request(Map.of("authorization", "Bearer x.y.z"))))
          .isEqualTo(new AccessVerdict.Deny(401, 16, "Jwt verification fails"));
      assertThat(access.check(new Request(Map.of()))).isSameAs(AccessVerdict.RBAC_DENIED);

      Request valid = new Request(Map.of("authorization", "Bearer " + token("alice")));
      assertThat(access.check(valid)).isEqualTo(
          new AccessVerdict.Allow(List.of(HeaderChange.remove("authorization"))));
      assertThat(valid.requestAuth().principal()).isEqualTo(ISSUER + "/alice");
    }
  }

  @Test
  void auditPoliciesAreCountedAndDoNotDecide() {
    try (Mesh mesh = mesh()) {
      InboundAccess access = InboundAccess.of(mesh);
      access.set(List.of(new PolicySource("default", "audit", Map.of("action", "AUDIT",
          "rules", List.of(Map.of())))), List.of());
      assertThat(access.check(new Request(Map.of()))).isSameAs(AccessVerdict.ALLOW);
      assertThat(access.check(new Request(Map.of()))).isSameAs(AccessVerdict.ALLOW);
      assertThat(access.audited("default/audit")).isEqualTo(2);
    }
  }

  @Test
  void theSamePoliciesAgainKeepTheCompiledPolicyAndABadOneKeepsTheLastGood() {
    try (Mesh mesh = mesh()) {
      InboundAccess access = InboundAccess.of(mesh);
      access.set(requirePrincipal, jwt);
      AccessPolicy compiled = access.policy();
      access.set(List.copyOf(requirePrincipal), List.copyOf(jwt));
      assertThat(access.policy()).isSameAs(compiled);

      List<PolicySource> bad = List.of(new PolicySource("default", "bad", Map.of("rules",
          List.of(Map.of("from", List.of(Map.of("source",
              Map.of("ipBlocks", List.of("10.0.0.0/33")))))))));
      assertThatThrownBy(() -> access.set(bad, List.of()))
          .isInstanceOfSatisfying(PolicyException.class, e -> {
            assertThat(e.resource()).isEqualTo("default/bad");
            assertThat(e.field()).isEqualTo("spec.rules[0].from[0].source.ipBlocks[0]");
          });
      assertThat(access.policy()).isSameAs(compiled);
    }
  }

  @Test
  void theListenerCarriesThePoliciesAndOneThatCannotCompileRefusesTheListener() {
    Listener good = listener(requirePrincipal, jwt);
    assertThat(VirtualInboundPolicy.problem(good)).isNull();
    assertThat(VirtualInboundPolicy.access(good))
        .isEqualTo(new VirtualInboundPolicy.Access(requirePrincipal, jwt));

    Listener bad = listener(List.of(new PolicySource("default", "bad", Map.of("action",
        "MAYBE"))), List.of());
    assertThat(VirtualInboundPolicy.problem(bad)).contains("default/bad", "spec.action",
        "MAYBE");
    assertThat(VirtualInboundPolicy.access(Listener.newBuilder().setName("virtualInbound")
        .build())).isEqualTo(VirtualInboundPolicy.Access.NONE);
  }

  private static Listener listener(List<PolicySource> authz, List<PolicySource> jwt) {
    return Listener.newBuilder().setName(MeshXdsNames.VIRTUAL_INBOUND)
        .setMetadata(Metadata.newBuilder().putFilterMetadata(MeshXdsNames.METADATA_FILTER,
            SecurityPolicyWire.write(Struct.newBuilder(), authz, jwt).build()))
        .build();
  }

  private static Mesh mesh() {
    return Mesh.builder().workloadName("access-test").adminPort(-1)
        .discovery(new StaticDiscovery()).build();
  }

  private String token(String subject) {
    try {
      SignedJWT t = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
          .keyID(key.getKeyID()).build(), new JWTClaimsSet.Builder().issuer(ISSUER)
          .subject(subject).expirationTime(new Date(System.currentTimeMillis() + 60_000))
          .build());
      t.sign(new ECDSASigner(key));
      return t.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A plaintext request with {@code headers}, from loopback. */
  private static final class Request implements AccessRequest {
    private final Map<String, String> headers;
    private RequestAuth auth;

    Request(Map<String, String> headers) {
      this.headers = headers;
    }

    @Override public String method() { return "GET"; }
    @Override public String path() { return "/"; }
    @Override public String host() { return "svc"; }
    @Override public int destinationPort() { return 8080; }
    @Override public InetAddress destinationIp() { return InetAddress.getLoopbackAddress(); }
    @Override public InetAddress sourceIp() { return InetAddress.getLoopbackAddress(); }
    @Override public String header(String name) { return headers.get(name); }
    @Override public String peerPrincipal() { return ""; }
    @Override public String sni() { return ""; }
    @Override public RequestAuth requestAuth() { return auth; }
    @Override public void requestAuth(RequestAuth a) { this.auth = a; }
    @Override public String queryParameter(String name) { return null; }
    @Override public String cookie(String name) { return null; }
  }
}
