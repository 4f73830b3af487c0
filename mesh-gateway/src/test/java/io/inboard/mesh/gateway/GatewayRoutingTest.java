package io.inboard.mesh.gateway;

import static io.inboard.mesh.gateway.GatewayRig.RATINGS;
import static io.inboard.mesh.gateway.GatewayRig.REVIEWS;
import static io.inboard.mesh.gateway.GatewayXds.host;
import static io.inboard.mesh.gateway.GatewayXds.prefix;
import static io.inboard.mesh.gateway.GatewayXds.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Host and path routing through the gateway's listener and route config from xDS. */
class GatewayRoutingTest {

  static GatewayRig rig;

  @BeforeAll
  static void start() throws Exception {
    rig = new GatewayRig();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void routesByHostAndPathToTwoBackendsAndAnswers404ForUnmatchedHostOrPath() throws Exception {
    rig.serve(routes("http.hp",
        host("bookinfo", "bookinfo.example.com", "bookinfo.example.com:*")
            .addRoutes(prefix("/reviews", REVIEWS)).addRoutes(prefix("/ratings", RATINGS))
            .build(),
        host("wild", "*.ratings.example.com").addRoutes(prefix("/", RATINGS)).build()));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(rig.get("bookinfo.example.com", "/reviews/1").body())
            .isEqualTo("reviews /reviews/1"));
    assertThat(rig.get("bookinfo.example.com", "/ratings/2").body())
        .isEqualTo("ratings /ratings/2");
    assertThat(rig.get("bookinfo.example.com:" + rig.port, "/reviews/3").body())
        .isEqualTo("reviews /reviews/3");
    assertThat(rig.get("eu.ratings.example.com", "/x").body()).isEqualTo("ratings /x");
    assertThat(rig.get("unknown.example.com", "/reviews/1").statusCode()).isEqualTo(404);
    assertThat(rig.get("bookinfo.example.com", "/details/1").statusCode()).isEqualTo(404);
  }
}
