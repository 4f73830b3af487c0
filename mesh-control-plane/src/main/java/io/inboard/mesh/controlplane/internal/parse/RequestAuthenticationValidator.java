package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.jwks.JwksDocument;

/**
 * Validates a RequestAuthentication's {@code spec} as Istio does, for what the JWT compiler may
 * not catch or would name less precisely: every error names the field. The caller then compiles
 * it with the workloads' own compiler.
 */
public final class RequestAuthenticationValidator {
  private final Warnings warnings;

  RequestAuthenticationValidator(ResourceId id) {
    this.warnings = new Warnings(id);
  }

  /** Checks {@code spec}; returns the warnings; throws {@link FieldException} when invalid. */
  Warnings validate(Node spec) {
    SecurityFields.REQUEST_AUTHENTICATION.check(spec, warnings);
    SecurityNodes.targets(spec, warnings);
    for (Node rule : spec.get("jwtRules").list()) {
      jwtRule(rule);
    }
    return warnings;
  }

  private void jwtRule(Node rule) {
    if (!(rule.value() instanceof java.util.Map)) {
      throw rule.fail("a JWT rule mapping with an issuer");
    }
    SecurityFields.JWT_RULE.check(rule, warnings);
    SecurityNodes.required(rule.get("issuer"), "the issuer of the tokens, such as"
        + " https://accounts.example.com");
    SecurityNodes.strings(rule.get("audiences"));
    if (rule.get("jwksUri").present()) {
      SecurityNodes.httpUri(rule.get("jwksUri"));
    }
    rule.get("jwks").optString().ifPresent(jwks -> JwksDocument.problem(jwks).ifPresent(p -> {
      // the key set itself is not repeated: it is long, and the problem says where it breaks
      throw new FieldException(rule.get("jwks").path(), p + " (expected: "
          + JwksDocument.EXPECTED + ")");
    }));
    for (Node header : rule.get("fromHeaders").list()) {
      SecurityFields.JWT_HEADER.check(header, warnings);
      SecurityNodes.required(header.get("name"), "the name of the header holding the token");
      header.get("prefix").optString();
    }
    SecurityNodes.strings(rule.get("fromParams"));
    SecurityNodes.strings(rule.get("fromCookies"));
    SecurityNodes.strings(rule.get("spaceDelimitedClaims"));
    rule.get("outputPayloadToHeader").optString();
    for (Node claim : rule.get("outputClaimToHeaders").list()) {
      SecurityFields.CLAIM_TO_HEADER.check(claim, warnings);
      SecurityNodes.required(claim.get("header"), "the name of the header to write");
      SecurityNodes.required(claim.get("claim"), "the name of the claim to copy");
    }
    SecurityNodes.bool(rule.get("forwardOriginalToken"));
    rule.get("timeout").duration();
  }
}
