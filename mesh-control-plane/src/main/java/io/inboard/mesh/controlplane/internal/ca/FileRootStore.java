package io.inboard.mesh.controlplane.internal.ca;

import io.inboard.mesh.security.internal.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The generated root in the state directory: {@code ca-cert.pem} and {@code ca-key.pem} (mode
 * 0600), the names Istio gives them in {@code istio-ca-secret}.
 */
public final class FileRootStore implements RootStore {
  private final Path cert;
  private final Path key;

  public FileRootStore(Path stateDirectory) {
    this.cert = stateDirectory.resolve(PluggedCa.CA_CERT);
    this.key = stateDirectory.resolve(PluggedCa.CA_KEY);
  }

  @Override
  public Optional<SigningAuthority> load() {
    if (!Files.exists(cert) && !Files.exists(key)) {
      return Optional.empty();
    }
    try {
      String certPem = Files.readString(cert, StandardCharsets.US_ASCII);
      String keyPem = Files.readString(key, StandardCharsets.US_ASCII);
      return Optional.of(PluggedCa.validate("state " + cert.getParent(), certPem, keyPem,
          certPem, certPem));
    } catch (IOException e) {
      throw new UncheckedIOException("state " + cert.getParent() + ": cannot read the root ("
          + e + "); expected: " + PluggedCa.CA_CERT + " and " + PluggedCa.CA_KEY + " together,"
          + " or neither", e);
    }
  }

  @Override
  public void save(SigningAuthority root) {
    // key first: a root certificate without its key would be unusable after a crash
    StateFiles.write(key, Pem.encode(root.key()), true);
    StateFiles.write(cert, Pem.encode(List.of(root.root())), false);
  }
}
