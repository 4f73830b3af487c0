package io.inboard.mesh.testing.internal;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.lang.reflect.Field;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * fabric8's CRUD dispatcher with its watches' close handling moved off the mock server's event
 * loop.
 *
 * <p>Why: in kubernetes-server-mock 8.0.0 a watch's {@code WatchEventsListener.onClosed} (and
 * {@code onFailure}) shuts its send executor down and waits for it on the Vert.x event loop,
 * while that executor may be inside {@code WebSocket.send}, which waits up to 30 s for a write
 * that only the same event loop can complete. A client that closes a watch while an event is
 * on its way thus stalls the event loop for 30 s, and stopping the server in that window fails
 * with {@code IllegalStateException: Unable to close MockWebServer} (its own bound is 10 s). Run
 * on another thread, the close waits only for the send to finish.
 *
 * <p>The closed watch leaves the dispatcher's set of watches first, on the event loop as before:
 * the mock takes it out only after its executor has terminated, and a change written in between
 * would be handed to that terminated executor, whose refusal fails the write itself.
 */
public final class WatchSafeCrudDispatcher extends KubernetesCrudDispatcher {

  private static final ExecutorService CLOSERS = DaemonPool.cached("mock-watch-close");

  /** The dispatcher's own (private) set of open watches, which its changes are sent to. */
  private final Set<?> watches = openWatches(this);

  @Override
  public MockResponse handleWatch(String path) {
    MockResponse response = super.handleWatch(path);
    WebSocketListener listener = response.getWebSocketListener();
    return listener == null ? response
        : response.withWebSocketUpgrade(new OffLoopClose(listener, watches));
  }

  private static Set<?> openWatches(KubernetesCrudDispatcher dispatcher) {
    try {
      Field f = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
      f.setAccessible(true);
      return (Set<?>) f.get(dispatcher);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kubernetes-server-mock changed: no watchEventListeners in "
          + "KubernetesCrudDispatcher; revisit " + WatchSafeCrudDispatcher.class.getName(), e);
    }
  }

  /** Forwards every callback, running the two that wait for the send executor elsewhere. */
  private static final class OffLoopClose extends WebSocketListener {
    private final WebSocketListener delegate;
    private final Set<?> watches;

    OffLoopClose(WebSocketListener delegate, Set<?> watches) {
      this.delegate = delegate;
      this.watches = watches;
    }

    @Override
    public void onBeforeAccept(WebSocket ws, Response response) {
      delegate.onBeforeAccept(ws, response);
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
      delegate.onOpen(ws, response);
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      delegate.onMessage(ws, text);
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
      delegate.onMessage(ws, bytes);
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
      delegate.onMessage(ws, bytes);
    }

    @Override
    public void onPing(WebSocket ws, byte[] payload) {
      delegate.onPing(ws, payload);
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      delegate.onClosing(ws, code, reason);
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      watches.remove(delegate);
      CLOSERS.execute(() -> delegate.onClosed(ws, code, reason));
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      watches.remove(delegate);
      CLOSERS.execute(() -> delegate.onFailure(ws, t, response));
    }
  }
}
