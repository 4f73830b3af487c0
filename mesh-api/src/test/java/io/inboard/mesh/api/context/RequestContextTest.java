package io.inboard.mesh.api.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestContextTest {

  private static final RequestContext ALICE =
      new RequestContext(Map.of("x-request-id", "a", "end-user", "alice"));
  private static final RequestContext BOB =
      new RequestContext(Map.of("x-request-id", "b", "end-user", "bob"));

  @Test
  void current_noRequest_isEmpty() {
    assertThat(RequestContext.current()).isSameAs(RequestContext.EMPTY);
  }

  @Test
  void closingNestedScopes_restoresOuterThenNothing() {
    try (Scope outer = ALICE.makeCurrent()) {
      try (Scope inner = BOB.makeCurrent()) {
        assertThat(RequestContext.current().header("end-user")).isEqualTo("bob");
      }
      assertThat(RequestContext.current().header("end-user")).isEqualTo("alice");
    }
    assertThat(RequestContext.current()).isSameAs(RequestContext.EMPTY);
  }

  @Test
  void wrappedExecutor_carriesSubmittersContextAndLeavesWorkerClean() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      var executor = ContextExecutors.wrap(pool);
      String seen;
      try (Scope s = ALICE.makeCurrent()) {
        seen = CompletableFuture.supplyAsync(
            () -> RequestContext.current().header("end-user"), executor).get(5, TimeUnit.SECONDS);
      }
      assertThat(seen).isEqualTo("alice");
      // The same worker thread, after the task: nothing left behind for the next request.
      RequestContext after = CompletableFuture.supplyAsync(RequestContext::current, pool)
          .get(5, TimeUnit.SECONDS);
      assertThat(after).isSameAs(RequestContext.EMPTY);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void contextOfOneThread_isInvisibleToAnother() throws Exception {
    try (Scope s = ALICE.makeCurrent()) {
      RequestContext other = CompletableFuture.supplyAsync(RequestContext::current,
          Executors.newSingleThreadExecutor()).get(5, TimeUnit.SECONDS);
      assertThat(other).isSameAs(RequestContext.EMPTY);
    }
  }

  @Test
  void wrappedCallable_runsWithCapturedContext() throws Exception {
    assertThat(BOB.wrap(() -> RequestContext.current().requestId()).call()).isEqualTo("b");
    assertThat(RequestContext.current()).isSameAs(RequestContext.EMPTY);
  }
}
