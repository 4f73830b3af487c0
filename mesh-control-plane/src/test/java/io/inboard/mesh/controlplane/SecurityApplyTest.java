package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An invalid security resource is rejected on apply like any other, and the whole apply with
 * it; the last good version stays.
 */
class SecurityApplyTest {
  static final String POLICY = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: deny-all}
      spec: {action: %s}
      """;

  ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(0).start();
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  @Test
  void invalidAuthorizationPolicyIsRejectedAndTheLastGoodOneStays() {
    assertThat(cp.apply(POLICY.formatted("DENY")).hasErrors()).isFalse();

    Diagnostics rejected = cp.apply(POLICY.formatted("BLOCK") + """
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default}
        spec: {mtls: {mode: STRICT}}
        """);

    assertThat(rejected.errors()).extracting(Diagnostic::toString).containsExactly(
        "AuthorizationPolicy default/deny-all: spec.action: 'BLOCK' (expected: one of ALLOW,"
            + " DENY, AUDIT, CUSTOM)");
    List<StoredResource> stored = cp.resources("", "", "");
    assertThat(stored).extracting(StoredResource::id)
        .containsExactly(new ResourceId("AuthorizationPolicy", "default", "deny-all"));
    assertThat(stored.get(0).document().get("spec")).isEqualTo(java.util.Map.of("action",
        "DENY"));
    // served now, so nothing is noted as stored only
    assertThat(cp.diagnostics().notServed()).isEmpty();
  }
}
