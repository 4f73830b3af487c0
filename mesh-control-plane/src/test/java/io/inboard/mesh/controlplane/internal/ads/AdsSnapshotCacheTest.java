package io.inboard.mesh.controlplane.internal.ads;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An ADS client asking for a resource the snapshot does not hold yet (the listener of a service
 * whose workload has not registered) is answered as soon as a snapshot holds it, however many
 * snapshots without it come first. java-control-plane's own cache drops the watch instead.
 */
class AdsSnapshotCacheTest {

  private static final Node NODE = Node.newBuilder().setId("details-v1~127.0.0.2~default").build();

  private final AdsSnapshotCache cache = new AdsSnapshotCache(node -> "g");
  private final List<Response> answers = new ArrayList<>();

  @Test
  void watchForAMissingListenerSurvivesSnapshotsWithoutIt_andIsAnsweredByTheFirstWithIt() {
    cache.setSnapshot("g", snapshot("1", "ratings:9080"));
    cache.createWatch(true, request("", "details:9080"), Set.of(), answers::add, false, false);
    assertThat(answers).isEmpty();

    cache.setSnapshot("g", snapshot("2", "ratings:9080", "reviews:9080"));
    assertThat(answers).isEmpty();

    cache.setSnapshot("g", snapshot("3", "ratings:9080", "details:9080"));
    assertThat(answers).singleElement().satisfies(r -> {
      assertThat(r.version()).isEqualTo("3");
      assertThat(r.resources()).extracting(m -> ((Listener) m).getName())
          .containsExactly("details:9080");
    });
  }

  @Test
  void requestNamingOnePresentAndOneMissingListener_isKeptOpenUntilBothAreThere() {
    cache.setSnapshot("g", snapshot("1", "reviews:9080"));
    // a new client asks for reviews and for details, which is not registered yet
    cache.createWatch(true, request("", "reviews:9080", "details:9080"),
        Set.of(), answers::add, false, false);
    assertThat(answers).isEmpty();

    cache.setSnapshot("g", snapshot("2", "reviews:9080", "details:9080"));
    assertThat(answers).singleElement().satisfies(r -> assertThat(r.resources()).hasSize(2));
  }

  @Test
  void completeRequestIsAnsweredAtOnce() {
    cache.setSnapshot("g", snapshot("1", "reviews:9080"));
    cache.createWatch(true, request("", "reviews:9080"), Set.of(), answers::add, false, false);
    assertThat(answers).singleElement().satisfies(r -> assertThat(r.version()).isEqualTo("1"));
  }

  private static XdsRequest request(String version, String... names) {
    return XdsRequest.create(DiscoveryRequest.newBuilder().setNode(NODE)
        .setTypeUrl(Resources.V3.LISTENER_TYPE_URL).setVersionInfo(version)
        .addAllResourceNames(List.of(names)).build());
  }

  private static Snapshot snapshot(String version, String... listeners) {
    List<Listener> ls = new ArrayList<>();
    for (String l : listeners) {
      ls.add(Listener.newBuilder().setName(l).build());
    }
    return Snapshot.create(List.of(), List.of(), ls, List.of(), List.of(), version);
  }
}
