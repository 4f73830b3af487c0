package io.inboard.benchmarks.footprint;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.inboard.benchmarks.http.ClientPaths;
import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.MeshBuilder;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One measured JVM: holds an HTTP client and a gRPC channel for each of {@code services}
 * services of a {@link FootprintPlane}, one call made on each, then reads its heap after full
 * GCs and its live threads, and appends one {@code key=value} line to {@code out}.
 *
 * <ul>
 *   <li>{@code mode=baseline}: no mesh. One bare JDK {@link java.net.http.HttpClient} (as the
 *       HTTP benchmark's {@code direct} path builds it) calls the echo server, and one plain
 *       grpc-netty channel per service calls the gRPC server: what the application holds
 *       without Inboard.
 *   <li>{@code mode=xds}: a {@link Mesh} on the plane's control plane; one {@link
 *       MeshHttpClient} calls {@code http://svc-<i>:8080/} and one {@link MeshChannels} channel
 *       per service calls {@code svc-<i>:9090}.
 *   <li>{@code mode=k8s}: the same on a {@link KubernetesDiscovery} of the plane's mock API
 *       server (in the plane's JVM, so nothing of the mock is in this heap).
 * </ul>
 *
 * Every mode first loads and initializes the same entry classes ({@link #ENTRY_CLASSES}); the
 * baseline also loads, without initializing, every class the mesh runs loaded ({@code
 * classes=<list,...>} as {@code -XX:DumpLoadedClassList} wrote them), so that class loading
 * itself (mirrors, constant-pool strings) is not counted as the mesh's heap, while what the
 * library's code allocates, statics included, is. {@code first=http|grpc} says which protocol's call goes first: its time
 * since JVM start is {@code firstCallMs} (the JVM's start as the runtime MXBean reports it, so
 * JVM boot and class loading are in it). A first call that fails (a loaded machine can make the
 * first answer miss a bound) is retried up to twice; {@code firstCallTries} says how many it
 * took, and the time includes them.
 *
 * <pre>FootprintProbe mode=xds services=100 first=http xds=127.0.0.1:19310 echoPort=19301
 *     grpcPort=19302 out=runs.txt</pre>
 */
public final class FootprintProbe {

  /** Initialized in every mode, baseline included (see the class comment). */
  static final List<String> ENTRY_CLASSES = List.of(
      "io.inboard.mesh.api.Mesh", "io.inboard.mesh.http.MeshHttpClient",
      "io.inboard.mesh.grpc.MeshChannels", "io.inboard.mesh.k8s.KubernetesDiscovery",
      "io.fabric8.kubernetes.client.KubernetesClientBuilder", "io.grpc.xds.XdsNameResolverProvider",
      "io.grpc.netty.NettyChannelBuilder", "java.net.http.HttpClient");

  private FootprintProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = HttpOverheadBenchmark.parseLine(String.join(" ", args));
    String mode = a.getOrDefault("mode", "baseline");
    int services = Integer.parseInt(a.getOrDefault("services", "10"));
    String first = a.getOrDefault("first", "http");
    int echoPort = Integer.parseInt(a.getOrDefault("echoPort", "19301"));
    int grpcPort = Integer.parseInt(a.getOrDefault("grpcPort", "19302"));
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    ClassLoader loader = FootprintProbe.class.getClassLoader();
    for (String c : ENTRY_CLASSES) {
      Class.forName(c, true, loader);
    }
    Clients clients = switch (mode) {
      case "baseline" -> new Direct(echoPort, grpcPort);
      case "xds" -> new Meshed(mesh().controlPlane(a.get("xds")).build());
      case "k8s" -> new Meshed(mesh().discovery(KubernetesDiscovery.builder()
          .client(new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
              .withMasterUrl(a.get("master")).withTrustCerts(true).withNamespace("default")
              .build()).build())
          .build()).build());
      default -> throw new IllegalArgumentException(
          "mode: '" + mode + "' (expected: baseline, xds or k8s)");
    };
    long built = System.currentTimeMillis();
    int tries = 0;
    while (true) {
      tries++;
      try {
        if (first.equals("grpc")) {
          clients.grpc(0);
        } else {
          clients.http(0);
        }
        break;
      } catch (RuntimeException | java.io.IOException e) {
        // a first call that times out on a loaded machine is retried; the tries are reported
        System.err.println("first call, try " + tries + ": " + e);
        if (tries == 3) {
          throw e;
        }
      }
    }
    long firstCall = System.currentTimeMillis();
    // after the first call, whose time must not include loading what only the mesh needs
    int listed = a.containsKey("classes") ? loadListed(a.get("classes"), loader) : 0;
    long callingAll = System.currentTimeMillis();
    for (int i = 0; i < services; i++) {
      clients.http(i);
      clients.grpc(i);
    }
    long allCalled = System.currentTimeMillis();
    // let discovery and the channels settle (pushes, idle tasks) before the heap is read
    Thread.sleep(1000);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    long heap = memory.getHeapMemoryUsage().getUsed();
    long nonHeap = memory.getNonHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    String line = "mode=" + mode + " services=" + services + " first=" + first
        + " firstCallMs=" + (firstCall - jvmStart) + " firstCallTries=" + tries + " buildMs=" + (built - jvmStart)
        + " allCalledMs=" + (allCalled - callingAll) + " heapBytes=" + heap
        + " nonHeapBytes=" + nonHeap + " threads=" + threads + " threadNames=" + threadNames()
        + " loadedClasses=" + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount()
        + " listedClassesLoaded=" + listed;
    System.out.println(line);
    if (a.containsKey("out")) {
      Files.writeString(Path.of(a.get("out")), line + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    System.exit(0); // the mesh's and the clients' threads need no orderly stop here
  }

  /**
   * Loads (without initializing) every class named in {@code files}, comma-separated lists as
   * {@code -XX:DumpLoadedClassList} writes them: the baseline loads what the mesh runs loaded,
   * so their class mirrors and constant-pool strings are not counted as the mesh's heap.
   * Classes that cannot be loaded here (generated, hidden, of another loader) are skipped.
   *
   * @return how many were loaded
   */
  private static int loadListed(String files, ClassLoader loader) throws java.io.IOException {
    int n = 0;
    for (String f : files.split(",")) {
      if (!Files.exists(Path.of(f))) {
        continue;
      }
      for (String line : Files.readAllLines(Path.of(f))) {
        if (line.isEmpty() || line.startsWith("@") || line.startsWith("#")) {
          continue;
        }
        int sp = line.indexOf(' ');
        String name = (sp < 0 ? line : line.substring(0, sp)).replace('/', '.');
        try {
          Class.forName(name, false, loader);
          n++;
        } catch (ClassNotFoundException | LinkageError e) {
          // not loadable from here: counted neither way
        }
      }
    }
    return n;
  }

  private static MeshBuilder mesh() {
    return Mesh.builder().workloadName("footprint-probe").namespace("default")
        .label("app", "footprint-probe").label("version", "v1").instanceIps("127.0.0.1")
        .adminPort(-1)
        // a loaded machine must not fail the first call on the bound for the first config
        .initialConfigTimeout(Duration.ofSeconds(60));
  }

  /** Live threads by name with digits dropped ({@code grpc-nio-worker-ELG-#-#:2}), most first. */
  static String threadNames() {
    Map<String, Integer> byName = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      byName.merge(t.getName().replaceAll("[0-9]+", "#").replace(' ', '_').replace(',', '_'),
          1, Integer::sum);
    }
    List<Map.Entry<String, Integer>> e = new ArrayList<>(byName.entrySet());
    e.sort((x, y) -> y.getValue() - x.getValue());
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> x : e) {
      sb.append(sb.length() == 0 ? "" : ",").append(x.getKey()).append(':').append(x.getValue());
    }
    return sb.toString();
  }

  /** The calls a mode makes: one HTTP call and one gRPC call to service {@code i}. */
  private interface Clients {
    void http(int i) throws Exception;

    void grpc(int i);
  }

  private static void check(ManagedChannel ch) {
    HealthGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
  }

  /** No mesh: the bare clients an application would hold instead. */
  private static final class Direct implements Clients {
    private final ClientPaths.Built http;
    private final int grpcPort;
    private final List<ManagedChannel> channels = new ArrayList<>();

    Direct(int echoPort, int grpcPort) {
      this.http = ClientPaths.build("direct", echoPort, 0);
      this.grpcPort = grpcPort;
    }

    @Override
    public void http(int i) {
      int status = http.caller().call().join().statusCode();
      if (status != 200) {
        throw new IllegalStateException("direct HTTP call: status " + status);
      }
    }

    @Override
    public void grpc(int i) {
      while (channels.size() <= i) {
        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build());
      }
      check(channels.get(i));
    }
  }

  /** One mesh, its HTTP client, and a mesh channel per service. */
  private static final class Meshed implements Clients {
    private final Mesh mesh;
    private final MeshHttpClient http;
    private final List<ManagedChannel> channels = new ArrayList<>();

    Meshed(Mesh mesh) {
      this.mesh = mesh;
      // generous: a loaded machine must not turn a slow first answer into a failed probe
      this.http = MeshHttpClient.builder(mesh).discoveryTimeout(Duration.ofSeconds(60)).build();
    }

    @Override
    public void http(int i) throws Exception {
      HttpRequest r = HttpRequest.newBuilder(URI.create(
          "http://" + FootprintPlane.service(i) + ":" + FootprintPlane.HTTP_PORT + "/")).build();
      int status = http.send(r, BodyHandlers.ofByteArray()).statusCode();
      if (status != 200) {
        throw new IllegalStateException(FootprintPlane.service(i) + ": status " + status);
      }
    }

    @Override
    public void grpc(int i) {
      while (channels.size() <= i) {
        channels.add(MeshChannels.forService(mesh,
            FootprintPlane.service(channels.size()) + ":" + FootprintPlane.GRPC_PORT).build());
      }
      check(channels.get(i));
    }
  }
}
