package io.inboard.mesh.controlplane.internal.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.controlplane.JwksServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fetcher alone, against a loopback JWKS endpoint, refreshing every 100 ms. */
class JwksFetcherTest {
  JwksServer idp;
  AtomicInteger changes = new AtomicInteger();
  JwksFetcher fetcher;

  @BeforeEach
  void start() throws Exception {
    idp = new JwksServer();
    fetcher = new JwksFetcher(Duration.ofMillis(100), changes::incrementAndGet);
  }

  @AfterEach
  void stop() {
    fetcher.close();
    idp.close();
  }

  @Test
  void keySetServedUnchangedTriggersNoFurtherPush() {
    String keys = JwksServer.rsaKeySet("k1");
    idp.serve(keys);

    fetcher.track(Map.of(idp.uri(), Duration.ofSeconds(2)));

    await().atMost(Duration.ofSeconds(10)).until(() -> idp.fetches() >= 4);
    assertThat(fetcher.keys(idp.uri())).contains(keys);
    assertThat(changes).hasValue(1);
  }

  @Test
  void keySetTheJwtCompilerRefusesIsNotTaken() {
    // shaped like a key set, but no usable key: an RSA key without its modulus
    idp.serve("{\"keys\": [{\"kty\": \"RSA\", \"e\": \"AQAB\"}]}");

    fetcher.track(Map.of(idp.uri(), Duration.ofSeconds(2)));

    await().atMost(Duration.ofSeconds(10)).until(() -> fetcher.problems().containsKey(idp.uri()));
    assertThat(fetcher.problems().get(idp.uri())).startsWith("a key set workloads cannot use: ");
    assertThat(fetcher.keys(idp.uri())).isEmpty();
    assertThat(changes).hasValue(0);
  }

  @Test
  void closedFetcherFetchesNoMore() {
    idp.serve(JwksServer.rsaKeySet("k1"));
    fetcher.track(Map.of(idp.uri(), Duration.ofSeconds(2)));
    await().atMost(Duration.ofSeconds(10)).until(() -> idp.fetches() >= 1);

    fetcher.close();
    int afterClose = idp.fetches() + 1; // one may have been under way

    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> idp.fetches() <= afterClose);
    fetcher.track(Map.of(idp.uri(), Duration.ofSeconds(2)));
    assertThat(fetcher.problems()).isEmpty();
  }
}
