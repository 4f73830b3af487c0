package io.inboard.e2e.observability;

import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real Zipkin server ({@code io.zipkin:zipkin-server:3.6.1}, exec jar, copied to
 * {@code target/backends} by this module's build) with in-memory storage on a free port.
 */
public final class RealZipkin implements AutoCloseable {

  private static final Path JAR = Path.of("target/backends/zipkin-server.jar");

  private final Process process;
  private final Path log;
  public final URI url;
  private final HttpClient http = HttpClient.newHttpClient();

  private RealZipkin(Process process, Path log, URI url) {
    this.process = process;
    this.log = log;
    this.url = url;
  }

  /** Starts Zipkin and waits until it is healthy. */
  public static RealZipkin start() throws IOException {
    if (!Files.isReadable(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: the build copies it"
          + " (mvn -B verify, which fetches io.zipkin:zipkin-server:3.6.1:exec)");
    }
    int port = RealPrometheus.freePort();
    Path log = Files.createTempFile("inboard-zipkin", ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
        JAR.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("STORAGE_TYPE", "mem");
    pb.environment().put("QUERY_PORT", Integer.toString(port));
    RealZipkin zipkin = new RealZipkin(pb.start(), log, URI.create("http://127.0.0.1:" + port));
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
          .ignoreExceptions().until(() -> zipkin.get("/health").statusCode() == 200);
    } catch (RuntimeException e) {
      zipkin.close();
      throw new IllegalStateException("Zipkin did not start; its log:\n" + Files.readString(log),
          e);
    }
    return zipkin;
  }

  /** Where workloads post spans: {@code /api/v2/spans}. */
  public URI spansEndpoint() {
    return url.resolve("/api/v2/spans");
  }

  /** The traces Zipkin holds (newest first), each a list of spans. */
  public JsonArray traces(String query) {
    return JsonParser.parseString(get("/api/v2/traces?limit=100&lookback=3600000"
        + (query.isEmpty() ? "" : "&" + query)).body()).getAsJsonArray();
  }

  /** One trace's spans. */
  public JsonArray trace(String traceId) {
    return JsonParser.parseString(get("/api/v2/trace/" + traceId).body()).getAsJsonArray();
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(url.resolve(path))
          .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // harmless
    }
  }
}
