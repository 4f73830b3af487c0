package io.inboard.mesh.http.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryBudgetTest {

  @ParameterizedTest(name = "maxRetries={0}")
  @ValueSource(ints = {0, 1, 3})
  void grantsExactlyMaxOutstandingRetries(int max) {
    RetryBudget budget = new RetryBudget(max);

    for (int i = 0; i < max; i++) {
      assertThat(budget.tryAcquire()).as("retry %d of %d", i + 1, max).isTrue();
    }

    assertThat(budget.tryAcquire()).isFalse();
    assertThat(budget.outstanding()).isEqualTo(max);
  }

  @Test
  void releasingARetryLetsAnotherStart() {
    RetryBudget budget = new RetryBudget(2);
    budget.tryAcquire();
    budget.tryAcquire();

    budget.release();

    assertThat(budget.outstanding()).isEqualTo(1);
    assertThat(budget.tryAcquire()).isTrue();
    assertThat(budget.tryAcquire()).isFalse();
  }

  @Test
  void refusedAcquireDoesNotCountAsOutstanding() {
    RetryBudget budget = new RetryBudget(1);
    budget.tryAcquire();

    budget.tryAcquire();
    budget.release();

    assertThat(budget.outstanding()).isZero();
    assertThat(budget.tryAcquire()).isTrue();
  }

  @Test
  void concurrentAcquiresNeverExceedTheBudget() throws Exception {
    RetryBudget budget = new RetryBudget(5);
    AtomicInteger granted = new AtomicInteger();
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          if (budget.tryAcquire()) {
            granted.incrementAndGet();
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }

    assertThat(granted.get()).isEqualTo(5);
  }
}
