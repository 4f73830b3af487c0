package io.inboard.mesh.http.internal.transport;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sends one try; this class is the JDK transport ({@link TransportKind#JDK}), and
 * {@code netty.NettyTransport} overrides {@link #send} for {@link TransportKind#NETTY}.
 *
 * <p>Sends one try over a JDK {@link HttpClient} without starting a thread per request.
 *
 * <p>The JDK client's {@code sendAsync} (JDK 17 to 25) completes its future through
 * {@code whenCompleteAsync(.., <CompletableFuture default executor>)}, even when the client has
 * its own executor. With common-pool parallelism 1 (two or fewer CPUs) that default executor
 * starts a new thread per task, so every response would cost a thread start. Its blocking
 * {@code send} does not take that hop. So when the common pool is real this uses
 * {@code sendAsync}; otherwise it runs {@code send} on {@code blockingPool}, a bounded pool
 * whose threads are reused, so the thread count follows peak concurrency, not request count.
 */
public class Transport {

  /** Whether {@code sendAsync} is safe here, i.e. whether the common pool has real workers. */
  public static final boolean ASYNC_IS_SAFE = ForkJoinPool.getCommonPoolParallelism() > 1;

  private final HttpClient client;
  private final BlockingSends blockingPool;
  private final boolean secure;

  /**
   * @param blockingPool where blocking sends run, or {@code null} to always use
   *     {@code sendAsync}
   */
  public Transport(HttpClient client, BlockingSends blockingPool) {
    this(client, blockingPool, false);
  }

  /**
   * @param secure whether {@code client} speaks TLS, so tries go to {@code https://} endpoints
   */
  public Transport(HttpClient client, BlockingSends blockingPool, boolean secure) {
    this.client = client;
    this.blockingPool = blockingPool;
    this.secure = secure;
  }

  /** For other transports: no JDK client. */
  protected Transport(boolean secure) {
    this(null, null, secure);
  }

  /** Whether this transport's tries go as {@code https}. */
  public boolean secure() {
    return secure;
  }

  /**
   * Sends {@code request} to the endpoint in its URI. The future fails with
   * {@link java.net.ConnectException} (or {@link java.net.http.HttpConnectTimeoutException})
   * when no connection could be made, {@link java.net.http.HttpTimeoutException} after the
   * request's timeout, and another {@link java.io.IOException} when the connection broke.
   */
  public <T> CompletableFuture<HttpResponse<T>> send(HttpRequest request, BodyHandler<T> handler) {
    if (blockingPool == null) {
      return client.sendAsync(request, handler);
    }
    BlockingSend<T> send = new BlockingSend<>(client, request, handler, blockingPool);
    try {
      blockingPool.submit(send);
    } catch (RejectedExecutionException e) {
      blockingPool.done();
      send.completeExceptionally(new IllegalStateException("the mesh HTTP client is closed", e));
    }
    return send;
  }

  HttpClient client() {
    return client;
  }

  /** A blocking send as a future; cancelling it interrupts the send, which aborts the exchange. */
  private static final class BlockingSend<T> extends CompletableFuture<HttpResponse<T>>
      implements Runnable {
    private final HttpClient client;
    private final HttpRequest request;
    private final BodyHandler<T> handler;
    private final BlockingSends pool;
    private Thread runner; // guarded by this

    BlockingSend(HttpClient client, HttpRequest request, BodyHandler<T> handler,
        BlockingSends pool) {
      this.client = client;
      this.request = request;
      this.handler = handler;
      this.pool = pool;
    }

    @Override
    public void run() {
      synchronized (this) {
        if (isDone()) {
          pool.done();
          return;
        }
        runner = Thread.currentThread();
      }
      try {
        complete(client.send(request, handler));
      } catch (Throwable t) {
        completeExceptionally(t);
      } finally {
        synchronized (this) {
          runner = null;
        }
        // Do not let a late cancellation's interrupt leak into the pool's next task.
        Thread.interrupted();
        pool.done();
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      synchronized (this) {
        if (cancelled && runner != null) {
          runner.interrupt();
        }
      }
      return cancelled;
    }
  }
}
