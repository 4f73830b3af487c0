package io.inboard.mesh.security.internal.jwt;

import io.inboard.mesh.security.internal.authz.PolicySource;
import java.util.List;

/**
 * The RequestAuthentications that apply to one workload, compiled once: where to look for a
 * token, the keys of each issuer, and a cache of verified tokens.
 */
public final class JwtAuthenticator {
  /** No RequestAuthentication applies: every request is {@link JwtOutcome.NoToken}. */
  public static final JwtAuthenticator NONE = new JwtAuthenticator();

  private JwtAuthenticator() {}

  /**
   * Compiles {@code requestAuthentications}' {@code jwtRules}.
   *
   * @throws io.inboard.mesh.security.internal.authz.PolicyException naming the first resource
   *     and field that cannot be compiled
   */
  public static JwtAuthenticator compile(List<PolicySource> requestAuthentications) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Finds, verifies and reads the request's token. */
  public JwtOutcome authenticate(TokenSource request) {
    return JwtOutcome.NoToken.INSTANCE;
  }

  /** Whether no rule applies. */
  public boolean isEmpty() {
    return true;
  }
}
