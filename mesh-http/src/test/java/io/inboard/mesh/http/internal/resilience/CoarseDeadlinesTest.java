package io.inboard.mesh.http.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoarseDeadlinesTest {
  final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  final CoarseDeadlines deadlines = new CoarseDeadlines(scheduler);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void deadlineFiresNotBeforeItIsDue() {
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    AtomicLong firedAt = new AtomicLong();
    deadlines.arm(due, () -> firedAt.set(System.nanoTime()));

    await().atMost(Duration.ofSeconds(5)).until(() -> firedAt.get() != 0);
    assertThat(firedAt.get() - due).isNotNegative();
  }

  @Test
  void cancelledDeadlineNeverFires() {
    AtomicInteger fired = new AtomicInteger();
    AtomicInteger control = new AtomicInteger();
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    deadlines.arm(due, fired::incrementAndGet).cancel();
    deadlines.arm(due, control::incrementAndGet);

    await().atMost(Duration.ofSeconds(5)).until(() -> control.get() == 1);
    assertThat(fired).hasValue(0);
  }

  @Test
  void deadlinesInOneTickShareOneScheduledTask() {
    AtomicInteger fired = new AtomicInteger();
    // align to the start of a tick a little ahead, so all 1000 fall into the same one
    long tick = CoarseDeadlines.TICK_NANOS;
    long base = (Math.floorDiv(System.nanoTime(), tick) + 20) * tick;
    for (int i = 0; i < 1000; i++) {
      deadlines.arm(base + i, fired::incrementAndGet);
    }

    assertThat(scheduler.getQueue()).hasSize(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.get() == 1000);
  }

  @Test
  void deadlineAlreadyPastFiresPromptly() {
    AtomicInteger fired = new AtomicInteger();
    deadlines.arm(System.nanoTime() - TimeUnit.SECONDS.toNanos(1), fired::incrementAndGet);

    await().atMost(Duration.ofSeconds(5)).until(() -> fired.get() == 1);
  }
}
