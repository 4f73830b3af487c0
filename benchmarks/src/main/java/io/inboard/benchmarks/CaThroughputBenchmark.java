package io.inboard.benchmarks;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.inboard.mesh.controlplane.CaKeyType;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.caapi.IstioCertificateRequest;
import io.inboard.mesh.security.internal.caapi.IstioCertificateServiceGrpc;
import io.inboard.mesh.security.internal.pki.Csrs;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import io.inboard.mesh.security.internal.pki.Pem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * The CA's throughput (issue 9): signed CSRs per second through the real API
 * ({@code IstioCertificateService/CreateCertificate} over TLS on loopback, a local credential in
 * the metadata), with N concurrent clients, each on its own channel, calling back to back. Run
 * for an ECDSA P-256 CA signing P-256 CSRs and an RSA 2048 CA signing RSA 2048 CSRs, in one
 * JVM. The clients' keys and CSRs are made before the timed window (a pool reused round-robin,
 * as the CA does not care), so the window measures the CA: TLS, token check, CSR verify, sign
 * and encode; the cost of making a key and CSR is measured and reported apart.
 *
 * <p>Arguments ({@code key=value}): {@code clients} (default 8), {@code seconds} measured per
 * key type (default 10), {@code warmupSeconds} (default 3), {@code types} (default
 * {@code EC_P256,RSA_2048}).
 */
public final class CaThroughputBenchmark {
  private CaThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = 8;
    int seconds = 10;
    int warmup = 3;
    List<CaKeyType> types = List.of(CaKeyType.EC_P256, CaKeyType.RSA_2048);
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "clients" -> clients = Integer.parseInt(kv[1]);
        case "seconds" -> seconds = Integer.parseInt(kv[1]);
        case "warmupSeconds" -> warmup = Integer.parseInt(kv[1]);
        case "types" -> types = java.util.Arrays.stream(kv[1].split(","))
            .map(t -> CaKeyType.valueOf(t.trim())).toList();
        default -> throw new IllegalArgumentException("argument: '" + a + "' (expected: clients,"
            + " seconds, warmupSeconds or types =value)");
      }
    }
    System.out.println("# CA throughput: CreateCertificate over TLS on loopback");
    System.out.println(Machine.describe());
    System.out.println("command: " + Machine.command(CaThroughputBenchmark.class.getName(), args));
    System.out.printf("clients: %d, measured %d s after %d s warm-up, per key type%n%n", clients,
        seconds, warmup);
    System.out.println("| CA and CSR keys | signed/s | p50 ms | p99 ms | max ms | errors |"
        + " client key+CSR/s (1 thread, apart) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (CaKeyType type : types) {
      run(type, clients, seconds, warmup);
    }
  }

  private static void run(CaKeyType type, int clients, int seconds, int warmup) throws Exception {
    KeyAlgorithm keys = type == CaKeyType.EC_P256 ? KeyAlgorithm.EC_P256 : KeyAlgorithm.RSA_2048;
    SpiffeId id = SpiffeId.of("cluster.local", "default", "bench");
    // the clients' side, apart: key generation and CSR signing
    int made = 0;
    long t0 = System.nanoTime();
    List<String> csrs = new ArrayList<>();
    while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2) || made < 32) {
      csrs.add(Csrs.create(keys.generate(), id));
      made++;
    }
    double csrRate = made / ((System.nanoTime() - t0) / 1e9);
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).caKeyType(type)
        .start()) {
      String token = cp.issueLocalCredential("default", "bench");
      byte[] roots = Pem.encode(cp.rootCertificates()).getBytes(StandardCharsets.US_ASCII);
      List<ManagedChannel> channels = new ArrayList<>();
      Recorder latency = new Recorder(3);
      AtomicLong done = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      AtomicBoolean recording = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch finished = new CountDownLatch(clients);
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + token);
      for (int c = 0; c < clients; c++) {
        ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", cp.securePort(),
            TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(roots))
                .build()).build();
        channels.add(ch);
        var stub = IstioCertificateServiceGrpc.newBlockingStub(ch)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
        int first = c;
        Thread t = new Thread(() -> {
          int i = first;
          while (!stop.get()) {
            IstioCertificateRequest req = IstioCertificateRequest.newBuilder()
                .setCsr(csrs.get(i++ % csrs.size())).setValidityDuration(3600).build();
            long start = System.nanoTime();
            try {
              stub.withDeadlineAfter(30, TimeUnit.SECONDS).createCertificate(req);
              if (recording.get()) {
                latency.recordValue((System.nanoTime() - start) / 1000);
                done.incrementAndGet();
              }
            } catch (RuntimeException e) {
              if (recording.get()) {
                errors.incrementAndGet();
              }
            }
          }
          finished.countDown();
        }, "ca-bench-client-" + c);
        t.setDaemon(true);
        t.start();
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
      latency.reset();
      recording.set(true);
      long start = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      recording.set(false);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long count = done.get();
      var h = latency.getIntervalHistogram();
      stop.set(true);
      finished.await(60, TimeUnit.SECONDS);
      channels.forEach(ManagedChannel::shutdownNow);
      System.out.printf("| %s | %.0f | %.2f | %.2f | %.2f | %d | %.0f |%n", type,
          count / elapsed, h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, errors.get(), csrRate);
    }
  }
}
