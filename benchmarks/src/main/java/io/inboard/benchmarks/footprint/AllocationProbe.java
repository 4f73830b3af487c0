package io.inboard.benchmarks.footprint;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.inboard.benchmarks.http.ClientPaths;
import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.MeshBuilder;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.http.HttpTransport;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bytes allocated per call, Inboard against direct, in one JVM, one call in flight (each call
 * waits for the previous one's response), against the echo server and the gRPC server of a
 * {@code kind=xds+k8s} {@link FootprintPlane} in other JVMs, so nothing the servers allocate is
 * counted.
 *
 * <p><b>What is counted.</b> {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes}
 * summed over every live Java thread of this JVM (the calling thread, the clients' executors,
 * selector and event-loop threads, timers, the xDS client's threads), read before and after
 * {@code calls} calls; a thread started in between counts from zero. Not counted: a thread that
 * ended in between (the number of threads started in between is reported as {@code
 * threadStarts}; with it at 0 nothing was lost), and the JVM's hidden threads (JIT compilers,
 * GC), which allocate no Java objects for the calls. Background work of the mesh during the
 * window (xDS pushes: none are made) would be counted.
 *
 * {@code byThread} splits the bytes per call by thread name (digits as {@code #}).
 *
 * <p>Paths: {@code http-direct} and {@code http-inboard} are the HTTP overhead benchmark's
 * ({@link ClientPaths}: a bare JDK client; MeshHttpClient with static discovery and a full
 * policy); {@code http-direct-headers} is the bare client sending the headers a mesh call adds
 * on the wire (this workload's peer metadata, {@code x-forwarded-host}), so that the JDK client's
 * cost for those bytes can be told apart from the library's; {@code http-xds} is MeshHttpClient
 * on the plane's control plane ({@code svc-0:8080}); {@code grpc-direct} is a plain grpc-netty
 * channel and {@code grpc-xds} a {@link MeshChannels} channel to {@code svc-0:9090}; both call
 * {@code grpc.health.v1.Health/Check}. {@code http-k8s} and {@code grpc-k8s} are the same calls
 * on a mesh in Kubernetes-API mode, on the plane's mock API server ({@code master=<url>}).
 * {@code http-xds-netty} and {@code http-inboard-netty} are {@code http-xds} and {@code
 * http-inboard} on Inboard's Netty transport ({@code HttpTransport.NETTY}) instead of the JDK
 * client. The paths run
 * in turn, their order rotated each round; each round warms a path up before it is measured.
 *
 * <p>{@code jfr=<file>} (with {@code PATH} replaced by the path's name) also records JFR's
 * allocation samples over the measured calls only, for {@link JfrFrames}; the recording's
 * own cost is then in {@code bytesPerCall}, so measure and record in separate runs.
 *
 * <pre>AllocationProbe xds=127.0.0.1:19310 echoPort=19301 grpcPort=19302 warm=5000 calls=5000
 *     rounds=3 paths=http-direct,http-inboard,http-xds,grpc-direct,grpc-xds out=runs.txt</pre>
 */
public final class AllocationProbe {

  private AllocationProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = HttpOverheadBenchmark.parseLine(String.join(" ", args));
    int echoPort = Integer.parseInt(a.getOrDefault("echoPort", "19301"));
    int grpcPort = Integer.parseInt(a.getOrDefault("grpcPort", "19302"));
    int warm = Integer.parseInt(a.getOrDefault("warm", "5000"));
    int calls = Integer.parseInt(a.getOrDefault("calls", "5000"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
    List<String> paths = List.of(a.getOrDefault("paths",
        "http-direct,http-direct-headers,http-inboard,http-xds,http-xds-netty,grpc-direct,"
            + "grpc-xds" + (a.containsKey("master") ? ",http-k8s,grpc-k8s" : "")).split(","));
    Map<String, Runnable> callers = new LinkedHashMap<>();
    Mesh xdsMesh = null;
    Mesh k8sMesh = null;
    for (String p : paths) {
      if (p.endsWith("-k8s") && k8sMesh == null) {
        k8sMesh = probeMesh().discovery(KubernetesDiscovery.builder()
            .client(new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(a.get("master")).withTrustCerts(true).withNamespace("default")
                .build()).build())
            .build()).build();
      }
      if ((p.contains("-xds") || p.endsWith("-headers")) && xdsMesh == null) {
        xdsMesh = probeMesh().controlPlane(a.get("xds"))
            // a loaded machine must not fail the first call on the bound for the first config
            .initialConfigTimeout(java.time.Duration.ofSeconds(60)).build();
      }
      callers.put(p, caller(p, echoPort, grpcPort, p.endsWith("-k8s") ? k8sMesh : xdsMesh));
    }
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    mx.setThreadAllocatedMemoryEnabled(true);
    for (int r = 1; r <= rounds; r++) {
      for (int k = 0; k < paths.size(); k++) {
        String p = paths.get((k + r - 1) % paths.size());
        Runnable call = callers.get(p);
        for (int i = 0; i < warm; i++) {
          call.run();
        }
        jdk.jfr.Recording jfr = a.containsKey("jfr") ? startRecording() : null;
        Map<Long, Long> before = allocated(mx);
        long startedBefore = mx.getTotalStartedThreadCount();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          call.run();
        }
        long elapsed = System.nanoTime() - t0;
        Map<Long, Long> after = allocated(mx);
        long starts = mx.getTotalStartedThreadCount() - startedBefore;
        if (jfr != null) {
          jfr.stop();
          jfr.dump(Path.of(a.get("jfr").replace("PATH", p)));
          jfr.close();
        }
        long bytes = 0;
        Map<String, Long> byThread = new java.util.TreeMap<>();
        for (Map.Entry<Long, Long> e : after.entrySet()) {
          long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
          bytes += d;
          java.lang.management.ThreadInfo info = mx.getThreadInfo(e.getKey());
          String name = info == null ? "ended" : info.getThreadName().replaceAll("[0-9]+", "#")
              .replace(' ', '_').replace(',', '_');
          byThread.merge(name, d, Long::sum);
        }
        StringBuilder threads = new StringBuilder();
        byThread.forEach((n, d) -> {
          if (d / calls > 0) {
            threads.append(threads.length() == 0 ? "" : ",").append(n).append(':').append(d / calls);
          }
        });
        String line = "alloc path=" + p + " round=" + r + " calls=" + calls
            + " bytesPerCall=" + bytes / calls + " usPerCall=" + elapsed / 1000 / calls
            + " threadStarts=" + starts + " threads=" + after.size() + " byThread=" + threads;
        System.out.println(line);
        if (a.containsKey("out")) {
          Files.writeString(Path.of(a.get("out")), line + "\n", StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        }
      }
    }
    System.exit(0);
  }

  /** This workload, as both meshes (xDS and Kubernetes-API mode) describe it. */
  private static MeshBuilder probeMesh() {
    return Mesh.builder().workloadName("alloc-probe").namespace("default")
        .label("app", "alloc-probe").label("version", "v1").instanceIps("127.0.0.1")
        .adminPort(-1);
  }

  /** JFR's allocation samples (profile settings), for the measured calls only. */
  private static jdk.jfr.Recording startRecording() throws Exception {
    jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    r.start();
    return r;
  }

  /** Allocated bytes so far per live thread id. */
  private static Map<Long, Long> allocated(com.sun.management.ThreadMXBean mx) {
    long[] ids = mx.getAllThreadIds();
    long[] bytes = mx.getThreadAllocatedBytes(ids);
    Map<Long, Long> m = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        m.put(ids[i], bytes[i]);
      }
    }
    return m;
  }

  private static Runnable caller(String path, int echoPort, int grpcPort, Mesh mesh) {
    switch (path) {
      case "http-direct", "http-inboard", "http-inboard-netty" -> {
        ClientPaths.Built b = ClientPaths.build(path.substring(5), echoPort, 0);
        return () -> expect200(b.caller().call().join().statusCode(), path);
      }
      case "http-direct-headers" -> {
        // what a mesh call to svc-0:8080 adds on the wire: the peer metadata, the authority
        java.util.List<String> h = new java.util.ArrayList<>();
        io.inboard.mesh.api.internal.InternalMesh.peerHeaders(mesh).forEach((n, v) -> {
          h.add(n);
          h.add(v);
        });
        h.add("x-forwarded-host");
        h.add(FootprintPlane.service(0) + ":" + FootprintPlane.HTTP_PORT);
        ClientPaths.Built b = ClientPaths.directWithHeaders(echoPort, h);
        return () -> expect200(b.caller().call().join().statusCode(), path);
      }
      case "http-xds", "http-k8s" -> {
        MeshHttpClient http = MeshHttpClient.of(mesh);
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + FootprintPlane.service(0)
            + ":" + FootprintPlane.HTTP_PORT + "/")).build();
        return () -> expect200(http.sendAsync(r, BodyHandlers.ofByteArray()).join().statusCode(),
            path);
      }
      case "http-xds-netty" -> {
        // the same call on Inboard's Netty transport instead of the JDK client
        MeshHttpClient http = MeshHttpClient.builder(mesh).transport(HttpTransport.NETTY).build();
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + FootprintPlane.service(0)
            + ":" + FootprintPlane.HTTP_PORT + "/")).build();
        return () -> expect200(http.sendAsync(r, BodyHandlers.ofByteArray()).join().statusCode(),
            path);
      }
      case "grpc-direct" -> {
        return health(NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
            .build());
      }
      case "grpc-direct-xdscreds" -> {
        // the transport every xDS channel has: grpc-netty-shaded behind grpc-xds's credentials
        // (which carry the xDS-configured mTLS), plaintext here as there is no xDS
        return health(io.grpc.Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort,
            io.grpc.xds.XdsChannelCredentials.create(
                io.grpc.InsecureChannelCredentials.create())).build());
      }
      case "grpc-xds", "grpc-k8s" -> {
        return health(MeshChannels.forService(mesh,
            FootprintPlane.service(0) + ":" + FootprintPlane.GRPC_PORT).build());
      }
      default -> throw new IllegalArgumentException("path: '" + path
          + "' (expected: http-direct, http-direct-headers, http-inboard, http-xds, http-k8s,"
          + " http-xds-netty, http-inboard-netty,"
          + " grpc-direct, grpc-direct-xdscreds, grpc-xds or grpc-k8s)");
    }
  }

  private static Runnable health(ManagedChannel ch) {
    HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(ch);
    HealthCheckRequest req = HealthCheckRequest.getDefaultInstance();
    return () -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).check(req);
  }

  private static void expect200(int status, String path) {
    if (status != 200) {
      throw new IllegalStateException(path + ": status " + status);
    }
  }
}
