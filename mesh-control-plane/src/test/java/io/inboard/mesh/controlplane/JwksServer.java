package io.inboard.mesh.controlplane;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An identity provider's JWKS endpoint on loopback (127.0.0.1 only): serves whatever the test
 * sets, and counts the fetches.
 */
public final class JwksServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final AtomicReference<String> body = new AtomicReference<>("");
  private final AtomicInteger fetches = new AtomicInteger();

  public JwksServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/jwks", exchange -> {
      fetches.incrementAndGet();
      byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status.get(), b.length == 0 ? -1 : b.length);
      exchange.getResponseBody().write(b);
      exchange.close();
    });
    server.start();
  }

  /** {@code http://127.0.0.1:<port>/jwks}. */
  public String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
  }

  /** Serves {@code json} with 200 from now on. */
  public void serve(String json) {
    body.set(json);
    status.set(200);
  }

  /** Answers {@code code} with an empty body from now on. */
  public void fail(int code) {
    body.set("");
    status.set(code);
  }

  public int fetches() {
    return fetches.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A key set with one fresh RSA public key named {@code kid}. */
  public static String rsaKeySet(String kid) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
      return "{\"keys\": [{\"kty\": \"RSA\", \"kid\": \"" + kid + "\", \"alg\": \"RS256\","
          + " \"use\": \"sig\", \"n\": \"" + base64Url(key.getModulus()) + "\", \"e\": \""
          + base64Url(key.getPublicExponent()) + "\"}]}";
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String base64Url(BigInteger n) {
    byte[] b = n.toByteArray();
    // JWK integers are unsigned big-endian: without BigInteger's sign byte
    if (b.length > 1 && b[0] == 0) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
