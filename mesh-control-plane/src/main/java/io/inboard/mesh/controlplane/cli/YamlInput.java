package io.inboard.mesh.controlplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads {@code -f FILE|DIR|-}: a file, every {@code *.yaml}/{@code *.yml} of a directory, or stdin. */
final class YamlInput {
  private YamlInput() {}

  static String read(String arg, InputStream stdin) throws IOException {
    if (arg.equals("-")) {
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path p = Path.of(arg);
    if (!Files.exists(p)) {
      throw new NoSuchFileException(arg);
    }
    if (!Files.isDirectory(p)) {
      return Files.readString(p);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(p)) {
      files = s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted().toList();
    }
    StringBuilder all = new StringBuilder();
    for (Path f : files) {
      // a document separator between files, so that a file without a trailing newline or
      // separator cannot run into the next
      all.append("\n---\n").append(Files.readString(f));
    }
    return all.toString();
  }
}
