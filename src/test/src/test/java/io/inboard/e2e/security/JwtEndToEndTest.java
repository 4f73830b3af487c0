package io.inboard.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.inbound.InboundAccess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RequestAuthentication end to end, on both planes of one workload: the control plane fetches
 * the issuer's key set from its {@code jwksUri} (a loopback server) and pushes it; the workload
 * finds the token where the rule says, verifies it, strips or forwards it, writes claims to
 * headers, and answers 401 to a token that is not valid.
 */
class JwtEndToEndTest {
  private static final Duration PROPAGATION = Duration.ofSeconds(20);
  private static final String GET = "/shop.Cart/Get";

  private static final TestTokens KEYS = new TestTokens("e2e-1");
  private static JwksServer issuer;
  private static AccessBed bed;

  @BeforeAll
  static void start() throws Exception {
    issuer = new JwksServer(KEYS.jwks());
    bed = new AccessBed(new SecurityBed(b -> b.jwksRefreshInterval(Duration.ofMillis(500))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  private static String requestAuthentication(String... extraRuleLines) {
    StringBuilder y = new StringBuilder("apiVersion: security.istio.io/v1\n"
        + "kind: RequestAuthentication\nmetadata:\n  name: jwt\n  namespace: default\nspec:\n"
        + "  selector:\n    matchLabels:\n      app: authz\n  jwtRules:\n"
        + "  - issuer: " + TestTokens.ISSUER + "\n    jwksUri: " + issuer.uri() + "\n");
    for (String line : extraRuleLines) {
      y.append("    ").append(line).append('\n');
    }
    return y.toString();
  }

  /** Enforces {@code yaml} and waits for the key set the control plane fetched for it. */
  private static void enforceAndAwaitKeys(String yaml) {
    bed.enforce(yaml);
    // the control plane's fetch may reach the workload after the resource itself
    await().atMost(PROPAGATION).until(() -> InboundAccess.of(bed.pod.mesh).policy()
        .requestAuthentications().stream().allMatch(JwtEndToEndTest::keysDelivered));
  }

  private static boolean keysDelivered(PolicySource ra) {
    return ra.spec().get("jwtRules") instanceof List<?> rules && rules.stream()
        .allMatch(r -> r instanceof Map<?, ?> m && m.get("jwks") instanceof String);
  }

  @Test
  void aValidTokenIsStrippedAndItsClaimsWrittenToHeadersOnBothPlanes() {
    enforceAndAwaitKeys(requestAuthentication("outputPayloadToHeader: x-jwt-payload",
        "outputClaimToHeaders:", "- header: x-jwt-sub", "  claim: sub"));
    Map<String, String> h = bearer(KEYS.token("alice", Map.of()));
    String saw = "allow ok authorization=absent x-jwt-sub=alice x-jwt-payload=present";
    assertThat(bed.sleep.grpc(GET, h)).isEqualTo(saw);
    assertThat(bed.sleep.http(GET, h)).isEqualTo(saw);
  }

  @Test
  void forwardOriginalTokenKeepsItForTheApplication() {
    enforceAndAwaitKeys(requestAuthentication("forwardOriginalToken: true"));
    Map<String, String> h = bearer(KEYS.token("alice", Map.of()));
    assertThat(bed.sleep.grpc(GET, h)).startsWith("allow ok authorization=present");
    assertThat(bed.sleep.http(GET, h)).startsWith("allow ok authorization=present");
  }

  @Test
  void aRequestWithoutTokenPassesWhenNoPolicyRequiresOne() {
    enforceAndAwaitKeys(requestAuthentication());
    assertThat(bed.sleep.grpc(GET, Map.of())).startsWith("allow");
    assertThat(bed.outside.http(GET, Map.of())).startsWith("allow");
  }

  @Test
  void expiredBadlySignedWrongIssuerAndWrongAudienceTokensGet401OnBothPlanes() throws Exception {
    enforceAndAwaitKeys(requestAuthentication("audiences: [\"shop\"]"));
    TestTokens stranger = new TestTokens("stranger");
    for (String token : List.of(KEYS.expired("alice"), stranger.token("alice", Map.of()),
        KEYS.fromIssuer("someone-else@example.com", "alice"),
        KEYS.token("alice", Map.of("aud", "not-shop")))) {
      assertThat(bed.sleep.grpc(GET, bearer(token))).isEqualTo("unauthenticated");
      assertThat(bed.sleep.http(GET, bearer(token))).isEqualTo("unauthenticated");
    }
    assertThat(bed.sleep.http(GET, bearer(KEYS.token("alice", Map.of("aud", "shop")))))
        .startsWith("allow");

    HttpResponse<String> r = bed.sleep.rawHttp(GET, bearer(KEYS.expired("alice")));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("Jwt is expired");
    assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(v ->
        assertThat(v).startsWith("Bearer"));
    Status s = bed.sleep.rawGrpc(GET, bearer(KEYS.expired("alice")));
    assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(s.getDescription()).isEqualTo("Jwt is expired");
  }

  @Test
  void tokensAreFoundInTheConfiguredHeaderParameterAndCookie() {
    enforceAndAwaitKeys(requestAuthentication("fromHeaders:", "- name: x-token",
        "  prefix: \"Token \"", "fromParams: [\"jwt\"]", "fromCookies: [\"session\"]",
        "outputClaimToHeaders:", "- header: x-jwt-sub", "  claim: sub"));
    String token = KEYS.token("carol", Map.of());
    assertThat(bed.sleep.grpc(GET, Map.of("x-token", "Token " + token)))
        .contains("x-jwt-sub=carol");
    assertThat(bed.sleep.http(GET, Map.of("x-token", "Token " + token)))
        .contains("x-jwt-sub=carol");
    assertThat(bed.sleep.http(GET + "?jwt=" + token, Map.of())).contains("x-jwt-sub=carol");
    assertThat(bed.sleep.grpc(GET, Map.of("cookie", "theme=dark; session=" + token)))
        .contains("x-jwt-sub=carol");
    assertThat(bed.sleep.http(GET, Map.of("cookie", "theme=dark; session=" + token)))
        .contains("x-jwt-sub=carol");
    // the default location is replaced by the configured ones
    assertThat(bed.sleep.http(GET, bearer(token))).isEqualTo(
        "allow ok authorization=present x-jwt-sub= x-jwt-payload=absent");
    assertThat(bed.sleep.http(GET, Map.of("x-token", "Token " + KEYS.expired("carol"))))
        .isEqualTo("unauthenticated");
  }

  @Test
  void aKeyRotatedAtTheJwksUriIsPickedUpAndAnUnreachableUriKeepsTheLastGoodKeys() {
    enforceAndAwaitKeys(requestAuthentication());
    TestTokens rotated = new TestTokens("e2e-2");
    issuer.serve(rotated.jwks());
    await().atMost(PROPAGATION).untilAsserted(() -> {
      assertThat(bed.sleep.grpc(GET, bearer(rotated.token("dave", Map.of()))))
          .startsWith("allow");
      assertThat(bed.sleep.http(GET, bearer(KEYS.token("dave", Map.of()))))
          .isEqualTo("unauthenticated");
    });

    issuer.down(true);
    int before = issuer.fetches();
    await().atMost(PROPAGATION).until(() -> issuer.fetches() >= before + 3);
    assertThat(bed.sleep.grpc(GET, bearer(rotated.token("dave", Map.of())))).startsWith("allow");
    assertThat(bed.sleep.http(GET, bearer(rotated.token("dave", Map.of())))).startsWith("allow");

    issuer.down(false);
    issuer.serve(KEYS.jwks());
    await().atMost(PROPAGATION).until(() -> bed.sleep.http(GET, bearer(KEYS.token("probe",
        Map.of()))).startsWith("allow"));
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("authorization", "Bearer " + token);
  }
}
