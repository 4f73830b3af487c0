package io.inboard.benchmarks.telemetry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Zipkin collector that accepts and discards: {@code POST /api/v2/spans} read to the end and
 * answered {@code 202}, on 127.0.0.1. The exporter's work (batching, JSON, the HTTP send) is
 * what is measured, not a collector's. Run as its own process by the script ({@code main}), so
 * that its CPU is not charged to the measured JVM; the JMH forks start one in-process.
 */
final class ZipkinSink implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicLong posts = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  private ZipkinSink(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a sink on 127.0.0.1:{@code port} ({@code 0}: an ephemeral port). */
  static ZipkinSink start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "zipkin-sink");
      t.setDaemon(true);
      return t;
    });
    ZipkinSink sink = new ZipkinSink(server, executor);
    server.createContext("/api/v2/spans", exchange -> {
      long n = 0;
      byte[] buf = new byte[16384];
      try (InputStream in = exchange.getRequestBody()) {
        for (int r; (r = in.read(buf)) > 0; ) {
          n += r;
        }
      }
      sink.posts.incrementAndGet();
      sink.bytes.addAndGet(n);
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    });
    server.setExecutor(executor);
    server.start();
    return sink;
  }

  /** The URL spans are posted to. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/spans");
  }

  /** Batches received so far. */
  long posts() {
    return posts.get();
  }

  /** Bytes of span JSON received so far. */
  long bytes() {
    return bytes.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** {@code ZipkinSink PORT}: runs until killed. */
  public static void main(String[] args) throws Exception {
    ZipkinSink sink = start(Integer.parseInt(args.length > 0 ? args[0] : "0"));
    System.out.println("zipkin sink " + sink.uri() + ", pid " + ProcessHandle.current().pid());
    // on kill (SIGTERM), so the script's log shows that spans arrived
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(
        "zipkin sink received " + sink.posts() + " batches, " + sink.bytes() + " bytes")));
    Thread.currentThread().join();
  }
}
