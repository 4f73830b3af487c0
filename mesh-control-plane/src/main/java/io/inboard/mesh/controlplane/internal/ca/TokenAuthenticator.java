package io.inboard.mesh.controlplane.internal.ca;

/**
 * Proves who presents a bearer token. The CA writes only the identity this returns into a
 * certificate, whatever the CSR asks for.
 */
public interface TokenAuthenticator {
  /**
   * The service account {@code token} proves.
   *
   * @throws Rejected saying what was wrong with the token (never echoing it)
   */
  ServiceAccount authenticate(String token) throws Rejected;

  /** A token that proves nothing; the message is for the caller. */
  final class Rejected extends Exception {
    private final boolean unavailable;

    public Rejected(String message) {
      this(message, false);
    }

    /** {@code unavailable}: the authenticator could not decide (the API server is down). */
    public Rejected(String message, boolean unavailable) {
      super(message, null, false, false);
      this.unavailable = unavailable;
    }

    public boolean unavailable() {
      return unavailable;
    }
  }
}
