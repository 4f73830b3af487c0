package io.inboard.mesh.controlplane.internal.source;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the resources of a directory's {@code *.yaml} and {@code *.yml} files in the served
 * config. Each file is its own unit: a file that turns invalid is reported and its last good
 * resources stay served; a file that is removed takes its resources with it.
 *
 * <p>The directory is polled (every second by default) and files are compared by content,
 * rather than watched with a WatchService: that is portable (macOS's WatchService polls every
 * 10 s anyway), sees edits made through symlink swaps such as Kubernetes ConfigMap volumes, and
 * costs little for a directory of YAML.
 */
public final class ConfigDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigDirectory.class);

  /** Replaces the resources of one file in the served config (under the owner's lock). */
  public interface Sink {
    void replace(List<ResourceId> remove, ResourceParser.Result add);
  }

  private record FileState(String content, List<ResourceId> served, List<Diagnostic> errors) {}

  private final Path dir;
  private final ResourceParser parser;
  private final Sink sink;
  private final Map<Path, FileState> files = new HashMap<>();
  private ScheduledExecutorService poller;

  public ConfigDirectory(Path dir, ResourceParser parser, Sink sink) {
    this.dir = dir;
    this.parser = parser;
    this.sink = sink;
  }

  /** Polls the directory every {@code interval} from now on. */
  public synchronized void watch(Duration interval) {
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "inboard-config-directory");
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(() -> {
      try {
        scan();
      } catch (RuntimeException | IOException e) {
        log.warn("cannot read config directory {}: {}", dir, e.toString());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads every changed, new and removed file once. */
  public synchronized void scan() throws IOException {
    List<Path> present;
    try (Stream<Path> s = Files.list(dir)) {
      present = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(Files::isRegularFile).sorted().toList();
    }
    for (Path gone : new ArrayList<>(files.keySet())) {
      if (!present.contains(gone)) {
        sink.replace(files.remove(gone).served(), new ResourceParser.Result(List.of(), List.of()));
        log.info("{} removed; its resources are no longer served", gone);
      }
    }
    for (Path f : present) {
      String content;
      try {
        content = Files.readString(f);
      } catch (NoSuchFileException e) {
        continue; // removed while listing; the next scan drops it
      } catch (UncheckedIOException | IOException e) {
        log.warn("cannot read {}: {}", f, e.toString());
        continue;
      }
      FileState before = files.get(f);
      if (before != null && before.content().equals(content)) {
        continue;
      }
      read(f, content, before);
    }
  }

  private void read(Path f, String content, FileState before) {
    List<ResourceId> served = before == null ? List.of() : before.served();
    ResourceParser.Result parsed = parser.parse(f.getFileName().toString(), content);
    if (parsed.hasErrors()) {
      List<Diagnostic> errors = parsed.diagnostics().stream()
          .filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
      log.error("{} rejected{}:\n{}", f, served.isEmpty() ? "" : "; its last good config stays",
          errors.stream().map(Diagnostic::toString).reduce((a, b) -> a + "\n" + b).orElse(""));
      files.put(f, new FileState(content, served, errors));
      return;
    }
    List<ResourceId> now = parsed.resources().stream().map(ParsedResource::id).toList();
    sink.replace(served.stream().filter(id -> !now.contains(id)).toList(), parsed);
    files.put(f, new FileState(content, now, List.of()));
    log.info("{} applied: {}", f, now);
  }

  /** The errors of files whose current content was rejected. */
  public synchronized List<Diagnostic> errors() {
    return files.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .flatMap(e -> e.getValue().errors().stream()).toList();
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
