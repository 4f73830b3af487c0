package io.inboard.mesh.api.context;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Executor;

/**
 * Executors that carry the submitting thread's {@link RequestContext} to the task, so that
 * outbound calls made from asynchronous work still propagate the inbound request's headers.
 *
 * <pre>{@code
 * Executor pool = ContextExecutors.wrap(Executors.newFixedThreadPool(4));
 * CompletableFuture.supplyAsync(() -> reviews.get(id), pool);   // end-user goes onwards
 * }</pre>
 */
public final class ContextExecutors {

  private ContextExecutors() {}

  /**
   * {@code executor}, capturing the context current at {@link Executor#execute} and making it
   * current while the task runs. With no current context the task runs as given.
   */
  public static Executor wrap(Executor executor) {
    requireNonNull(executor, "executor");
    return task -> {
      RequestContext ctx = RequestContext.current();
      executor.execute(ctx == RequestContext.EMPTY ? task : ctx.wrap(task));
    };
  }
}
