package io.inboard.mesh.http.internal;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A call's future as the application sees it when the transport completes calls on its event
 * loops ({@code HttpTransport.NETTY}): completed on an executor instead, so that a dependent
 * stage that blocks (as application code may) never stalls a loop and the calls on it.
 * Cancelling it cancels the call.
 */
final class CompletionHop<T> extends CompletableFuture<T> {

  private final CompletableFuture<T> source;

  private CompletionHop(CompletableFuture<T> source) {
    this.source = source;
  }

  /** {@code source}, completed on {@code executor} (inline once the executor refuses work). */
  static <T> CompletableFuture<T> on(CompletableFuture<T> source, Executor executor) {
    requireNonNull(executor, "executor");
    CompletionHop<T> out = new CompletionHop<>(source);
    source.whenComplete((value, failure) -> {
      Runnable complete = () -> {
        if (failure != null) {
          out.completeExceptionally(failure);
        } else {
          out.complete(value);
        }
      };
      try {
        executor.execute(complete);
      } catch (RejectedExecutionException closed) {
        complete.run(); // the client is closing: better a loop thread than a lost completion
      }
    });
    return out;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      source.cancel(mayInterruptIfRunning);
    }
    return cancelled;
  }
}
