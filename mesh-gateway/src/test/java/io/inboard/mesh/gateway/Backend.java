package io.inboard.mesh.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback backend (the JDK's HTTP server) named {@code name}. Its answers:
 * <ul>
 *   <li>{@code /fail-once/<key>}: 503 the first time per key, then 200;
 *   <li>{@code /sleep/<ms>}: waits, then 200;
 *   <li>{@code /upload}: reads the body and answers its length;
 *   <li>{@code /download/<chunks>}: {@code chunks} chunks of 64 KiB, chunked, 20 ms apart, the
 *       last one only once the test saw the first ({@link #downloadStarted}), for up to 20 s;
 *   <li>anything else: 200 with body {@code <name> <path>}.
 * </ul>
 * Every answer echoes each request header {@code h} as response header {@code echo-h}.
 */
final class Backend implements AutoCloseable {

  final String name;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "backend");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  /** Bytes of {@code /upload} bodies received so far. */
  final java.util.concurrent.atomic.AtomicLong uploaded = new java.util.concurrent.atomic.AtomicLong();
  /** Counted down once an upload's first MiB has arrived. */
  final java.util.concurrent.CountDownLatch firstUploadMebibyte =
      new java.util.concurrent.CountDownLatch(1);
  /** Counted down by the test once it read a download's first bytes. */
  final java.util.concurrent.CountDownLatch downloadStarted =
      new java.util.concurrent.CountDownLatch(1);
  /** Whether the client saw a download's first bytes before its last chunk was sent. */
  volatile boolean downloadStreamed;

  Backend(String name) throws IOException {
    this.name = name;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    String path = ex.getRequestURI().getRawPath();
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      ex.getResponseHeaders().put("echo-" + h.getKey().toLowerCase(), h.getValue());
    }
    try (InputStream in = ex.getRequestBody(); OutputStream out = ex.getResponseBody()) {
      if (path.startsWith("/fail-once/")) {
        in.readAllBytes();
        int n = failures.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        reply(ex, out, n == 1 ? 503 : 200, name + " try " + n);
      } else if (path.startsWith("/sleep/")) {
        in.readAllBytes();
        try {
          Thread.sleep(Long.parseLong(path.substring("/sleep/".length())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        reply(ex, out, 200, name + " slept");
      } else if (path.equals("/upload")) {
        byte[] buf = new byte[65536];
        long total = 0;
        for (int r; (r = in.read(buf)) >= 0; ) {
          total += r;
          if (uploaded.addAndGet(r) >= 1 << 20) {
            firstUploadMebibyte.countDown();
          }
        }
        reply(ex, out, 200, Long.toString(total));
      } else if (path.startsWith("/download/")) {
        int chunks = Integer.parseInt(path.substring("/download/".length()));
        ex.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[65536];
        for (int i = 0; i < chunks; i++) {
          if (i == chunks - 1) {
            try {
              downloadStreamed = downloadStarted.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          out.write(chunk);
          out.flush();
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      } else {
        in.readAllBytes();
        reply(ex, out, 200, name + " " + path);
      }
    }
  }

  private static void reply(HttpExchange ex, OutputStream out, int status, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    out.write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
