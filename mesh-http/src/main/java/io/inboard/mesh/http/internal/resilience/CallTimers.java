package io.inboard.mesh.http.internal.resilience;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The timers a call uses: the client's one scheduler thread (backoffs, fault delays) and the
 * coarse deadlines on top of it (overall call timeouts).
 */
public record CallTimers(ScheduledExecutorService scheduler, CoarseDeadlines deadlines) {

  /** Timers on {@code scheduler}. */
  public static CallTimers on(ScheduledExecutorService scheduler) {
    return new CallTimers(scheduler, new CoarseDeadlines(scheduler));
  }
}
