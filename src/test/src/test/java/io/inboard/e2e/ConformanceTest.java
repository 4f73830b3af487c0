package io.inboard.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance table: every {@link Scenarios scenario} runs once with the gRPC client and
 * once with the HTTP client, against the same control-plane config, and must give the same
 * outcome. A row one plane cannot honour is skipped for that plane with the reason.
 */
class ConformanceTest {

  static ConformanceBed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = new ConformanceBed();
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @TestFactory
  List<DynamicTest> sameOutcomeOnBothDataPlanes() {
    List<DynamicTest> rows = new ArrayList<>();
    for (Scenario s : Scenarios.ALL) {
      for (DataPlane.Kind kind : DataPlane.Kind.values()) {
        rows.add(DynamicTest.dynamicTest(s.name() + " [" + kind + "]", () -> {
          String reason = s.notHonoured().get(kind);
          assumeTrue(reason == null, () -> kind + " cannot honour this: " + reason);
          // a service per row and plane: a row's config is in place before its first call
          String service = (s.name() + "-" + kind).toLowerCase(Locale.ROOT);
          bed.service(service, s.virtualService(), s.trafficPolicy());
          try {
            s.check().run(bed, bed.plane(kind), service);
          } finally {
            bed.reset();
          }
        }));
      }
    }
    return rows;
  }
}
