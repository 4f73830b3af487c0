package io.inboard.mesh.controlplane.internal.ca;

import io.inboard.mesh.security.SpiffeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Local mode's proof of identity: a credential per service account that the control plane
 * mints, {@code inboard-local-v1.<base64url "ns/sa">.<base64url HMAC-SHA256>}, checked in
 * constant time. The key is 32 random bytes made on first start and kept in the state
 * directory ({@code local-credential.key}, mode 0600).
 *
 * <p><b>Trust model.</b> Whoever can read the state directory can mint any identity, and a
 * credential never expires (delete the key file to revoke them all). That suits one user's
 * machine, where every workload runs as that user anyway; it is not a substitute for Kubernetes
 * service-account tokens on a shared host.
 */
public final class LocalCredentials implements TokenAuthenticator {
  /** The key's file name in the state directory. */
  public static final String KEY_FILE = "local-credential.key";
  static final String PREFIX = "inboard-local-v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final byte[] key;

  private LocalCredentials(byte[] key) {
    this.key = key.clone();
  }

  /** Credentials under a key held in memory only: they die with the process. */
  public static LocalCredentials inMemory() {
    return new LocalCredentials(randomKey());
  }

  /** Credentials under the key of {@code stateDirectory}, made there if missing. */
  public static LocalCredentials inDirectory(Path stateDirectory) {
    Path file = stateDirectory.resolve(KEY_FILE);
    StateFiles.createSecret(file, B64.encodeToString(randomKey()) + "\n");
    try {
      byte[] key = B64D.decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (key.length < 32) {
        throw new IllegalArgumentException(file + ": a key of " + key.length
            + " bytes (expected: 32 random bytes, base64url)");
      }
      return new LocalCredentials(key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": not a credential key (" + e.getMessage()
          + "); delete it to make a new one, which revokes every credential issued", e);
    }
  }

  /** The credential that proves {@code namespace}/{@code serviceAccount}. */
  public String issue(String namespace, String serviceAccount) {
    // validates both as Kubernetes names, so that "/" cannot be smuggled into either
    SpiffeId.of("cluster.local", namespace, serviceAccount);
    String subject = B64.encodeToString((namespace + "/" + serviceAccount)
        .getBytes(StandardCharsets.UTF_8));
    return PREFIX + "." + subject + "." + B64.encodeToString(mac(subject));
  }

  @Override
  public ServiceAccount authenticate(String token) throws Rejected {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(PREFIX)) {
      throw new Rejected("token: not a local credential (expected: " + PREFIX
          + ".<subject>.<mac>, as `inboardctl credential` issues)");
    }
    byte[] given;
    String subject;
    try {
      given = B64D.decode(parts[2]);
      subject = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Rejected("token: malformed local credential (expected: base64url parts)");
    }
    if (!MessageDigest.isEqual(mac(parts[1]), given)) {
      throw new Rejected("token: local credential does not verify (expected: one issued by this"
          + " control plane's state directory)");
    }
    int slash = subject.indexOf('/');
    return new ServiceAccount(subject.substring(0, slash), subject.substring(slash + 1));
  }

  private byte[] mac(String subject) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(subject.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK has no HmacSHA256", e);
    }
  }

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }
}
