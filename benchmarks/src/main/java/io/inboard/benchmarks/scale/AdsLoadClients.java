package io.inboard.benchmarks.scale;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.inboard.mesh.api.internal.NodeMetadataKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of ADS clients: {@code AdsLoadClients <host:port> <first index> <count> <services>
 * <groups>} opens {@code count} {@link AdsLoadClient}s, each on its own connection, as workloads
 * {@code client-<index>} in namespace {@code default} with labels {@code app:
 * client-<index % groups>} and {@code version: v1} (so {@code groups} distinct label sets).
 * Prints one line per response, {@code r <client> <type> <version> <received µs> <ACKed µs>
 * <bytes> <nacked 0|1>}, {@code synced} once every client has been answered every type, and
 * {@code failed <client> <error>} for a stream that ends; exits on stdin {@code quit} or EOF.
 */
public final class AdsLoadClients {
  private AdsLoadClients() {}

  public static void main(String[] args) throws Exception {
    String address = args[0];
    int first = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    int services = Integer.parseInt(args[3]);
    int groups = Integer.parseInt(args[4]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    AdsLoadClient.Sink sink = new AdsLoadClient.Sink() {
      @Override
      public void response(int client, AdsLoadClient.Type type, String version, long received,
          long acked, int bytes, boolean nacked) {
        out.println("r " + client + " " + type + " " + version + " " + received + " " + acked
            + " " + bytes + " " + (nacked ? 1 : 0));
      }

      @Override
      public void failed(int client, Throwable error) {
        out.println("failed " + client + " " + String.valueOf(error).replace('\n', ' '));
      }
    };
    List<ManagedChannel> channels = new ArrayList<>();
    List<AdsLoadClient> clients = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      List<String> listeners = ScaleConfig.calledBy(i, services).stream()
          .map(ScaleConfig::listener).toList();
      AdsLoadClient c = new AdsLoadClient(i, node(i, groups), listeners, sink);
      ManagedChannel ch = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create())
          .build();
      channels.add(ch);
      clients.add(c);
      c.start(ch);
    }
    Thread synced = new Thread(() -> {
      while (!clients.stream().allMatch(AdsLoadClient::synced)) {
        try {
          Thread.sleep(5); // a poll of this JVM's own clients, outside any measured path
        } catch (InterruptedException e) {
          return;
        }
      }
      out.println("synced");
    }, "synced-watch");
    synced.setDaemon(true);
    synced.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
      // nothing else is read
    }
    clients.forEach(AdsLoadClient::close);
    for (ManagedChannel ch : channels) {
      ch.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
    }
  }

  /** The node a Inboard data plane sends (see mesh-xds {@code XdsNode}). */
  static Node node(int index, int groups) {
    String name = "client-" + index;
    Struct labels = Struct.newBuilder()
        .putFields("app", string("client-" + index % groups))
        .putFields("version", string("v1")).build();
    Struct metadata = Struct.newBuilder()
        .putFields(NodeMetadataKeys.NAMESPACE, string("default"))
        .putFields(NodeMetadataKeys.WORKLOAD_NAME, string(name))
        .putFields(NodeMetadataKeys.SERVICE_ACCOUNT, string("default"))
        .putFields(NodeMetadataKeys.LABELS, Value.newBuilder().setStructValue(labels).build())
        .putFields(NodeMetadataKeys.INSTANCE_IPS, string("127.0.0.1"))
        .build();
    return Node.newBuilder().setId(name + "~127.0.0.1~default").setMetadata(metadata)
        .setUserAgentName("grpc-java").build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
