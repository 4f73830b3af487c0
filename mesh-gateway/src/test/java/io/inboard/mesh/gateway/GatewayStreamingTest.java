package io.inboard.mesh.gateway;

import static io.inboard.mesh.gateway.GatewayRig.REVIEWS;
import static io.inboard.mesh.gateway.GatewayXds.host;
import static io.inboard.mesh.gateway.GatewayXds.prefix;
import static io.inboard.mesh.gateway.GatewayXds.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bodies stream through the gateway both ways; HTTP/2 over cleartext downstream. */
class GatewayStreamingTest {

  static GatewayRig rig;

  @BeforeAll
  static void start() throws Exception {
    rig = new GatewayRig();
    rig.serve(routes("http.s", host("all", "*").addRoutes(prefix("/", REVIEWS)).build()));
    await().atMost(Duration.ofSeconds(20)).until(() -> rig.gateway.ready());
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
        rig.get("s.example.com", "/warm").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void a20MegabyteUploadReachesTheBackendBeforeTheClientFinishedSendingIt() throws Exception {
    long size = 20L << 20;
    // the client sends half, then waits until the backend has received a MiB: a gateway that
    // read the whole body before calling upstream would never let that happen
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
          long sent;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (sent >= size) {
              return -1;
            }
            if (sent == size / 2) {
              try {
                if (!rig.reviews.firstUploadMebibyte.await(20, TimeUnit.SECONDS)) {
                  throw new IOException("the backend got nothing of the first 10 MiB");
                }
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
            }
            int n = (int) Math.min(len, Math.min(size - sent, size / 2 - sent > 0
                ? size / 2 - sent : size - sent));
            sent += n;
            return n;
          }
        }), size);
    HttpResponse<String> r = rig.send("s.example.com", "/upload", "POST", body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(Long.toString(size));
  }

  @Test
  void aSlowChunkedDownloadReachesTheClientBeforeTheBackendFinishedIt() throws Exception {
    HttpResponse<InputStream> r = rig.client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + rig.port + "/download/40"))
        .header("host", "s.example.com").build(), BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (InputStream in = r.body()) {
      assertThat(in.readNBytes(65536)).hasSize(65536);
      rig.reviews.downloadStarted.countDown();
      long rest = in.transferTo(java.io.OutputStream.nullOutputStream());
      assertThat(65536 + rest).isEqualTo(40L * 65536);
    }
    assertThat(rig.reviews.downloadStreamed).isTrue();
  }

  @Test
  void servesHttp2OverCleartextWithPriorKnowledge() throws Exception {
    io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
        io.netty.channel.nio.NioIoHandler.newFactory());
    try {
      io.netty.channel.Channel ch = new io.netty.bootstrap.Bootstrap().group(group)
          .channel(io.netty.channel.socket.nio.NioSocketChannel.class)
          .handler(new io.netty.channel.ChannelInitializer<io.netty.channel.Channel>() {
            @Override
            protected void initChannel(io.netty.channel.Channel c) {
              c.pipeline().addLast(io.netty.handler.codec.http2.Http2FrameCodecBuilder
                  .forClient().build(), new io.netty.handler.codec.http2.Http2MultiplexHandler(
                      new io.netty.channel.ChannelInboundHandlerAdapter()));
            }
          }).connect("127.0.0.1", rig.port).sync().channel();
      java.util.concurrent.CompletableFuture<String> status = new java.util.concurrent.CompletableFuture<>();
      StringBuilder body = new StringBuilder();
      java.util.concurrent.CompletableFuture<String> done = new java.util.concurrent.CompletableFuture<>();
      io.netty.handler.codec.http2.Http2StreamChannel stream =
          new io.netty.handler.codec.http2.Http2StreamChannelBootstrap(ch)
              .handler(new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                  if (msg instanceof io.netty.handler.codec.http2.Http2HeadersFrame h) {
                    status.complete(h.headers().status() == null ? "" : h.headers().status()
                        .toString());
                    if (h.isEndStream()) {
                      done.complete(body.toString());
                    }
                  } else if (msg instanceof io.netty.handler.codec.http2.Http2DataFrame d) {
                    body.append(d.content().toString(java.nio.charset.StandardCharsets.UTF_8));
                    if (d.isEndStream()) {
                      done.complete(body.toString());
                    }
                  }
                  io.netty.util.ReferenceCountUtil.release(msg);
                }
              }).open().sync().getNow();
      stream.writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2HeadersFrame(
          new io.netty.handler.codec.http2.DefaultHttp2Headers().method("GET").scheme("http")
              .path("/h2/prior").authority("s.example.com"), true));
      assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo("200");
      assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo("reviews /h2/prior");
      ch.close();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesHttp2OverCleartextAfterAnUpgrade() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> first = h2.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + rig.port + "/h2/1")).build(), BodyHandlers.ofString());
    assertThat(first.body()).isEqualTo("reviews /h2/1");
    HttpResponse<String> second = h2.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + rig.port + "/h2/2"))
        .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), BodyHandlers.ofString());
    assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(second.body()).isEqualTo("reviews /h2/2");
  }

  @Test
  void pipelinedRequestsOnOneConnectionAreAnsweredInOrderAndTheConnectionServesMoreLater()
      throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", rig.port)) {
      socket.setSoTimeout(20_000);
      java.io.OutputStream out = socket.getOutputStream();
      java.io.BufferedInputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      // one write: a slow request, then a request with a body, then a plain one, all waiting
      // behind the first
      out.write(("GET /sleep/300 HTTP/1.1\r\nHost: s.example.com\r\n\r\n"
          + "POST /upload HTTP/1.1\r\nHost: s.example.com\r\nContent-Length: 5\r\n\r\nhello"
          + "GET /third HTTP/1.1\r\nHost: s.example.com\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponseBody(in)).isEqualTo("reviews slept");
      assertThat(readResponseBody(in)).isEqualTo("5");
      assertThat(readResponseBody(in)).isEqualTo("reviews /third");
      // idle between requests (a read is pending then), and a body sent in two parts
      out.write(("POST /upload HTTP/1.1\r\nHost: s.example.com\r\nContent-Length: 6\r\n\r\nab")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      await().pollDelay(Duration.ofMillis(100)).until(() -> true);
      out.write("cdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponseBody(in)).isEqualTo("6");
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length and returns its body. */
  private static String readResponseBody(java.io.InputStream in) throws IOException {
    long length = -1;
    String status = readLine(in);
    assertThat(status).startsWith("HTTP/1.1 200");
    for (String line; !(line = readLine(in)).isEmpty(); ) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    assertThat(length).as("content-length").isNotNegative();
    return new String(in.readNBytes((int) length), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String readLine(java.io.InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new java.io.EOFException("connection closed after: " + b);
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }
}
