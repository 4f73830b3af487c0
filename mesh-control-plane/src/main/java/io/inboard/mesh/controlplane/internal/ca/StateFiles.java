package io.inboard.mesh.controlplane.internal.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes state files whole (a temporary file moved into place, so a reader never sees half of
 * one), secret ones with mode 0600 from the moment they exist.
 */
public final class StateFiles {
  private StateFiles() {}

  /** Replaces {@code file} with {@code content}; {@code secret} makes it 0600. */
  public static void write(Path file, String content, boolean secret) {
    try {
      Path tmp = temporary(file, content, secret);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates {@code file} with {@code content} (0600) unless it exists; returns whether it was
   * created. Two processes racing both end up reading the same file.
   */
  public static boolean createSecret(Path file, String content) {
    try {
      Path tmp = temporary(file, content, true);
      // a hard link appears whole and fails when the file exists (rename would replace it)
      try {
        Files.createLink(file, tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path temporary(Path file, String content, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp;
    try {
      tmp = secret
          ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    } catch (UnsupportedOperationException e) {
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    }
    if (!secret) {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not POSIX: the platform's default
      }
    }
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    return tmp;
  }
}
