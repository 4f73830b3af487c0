package io.inboard.mesh.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lifecycle shared by the kit's extensions, as Armeria's {@code ServerExtension} has it: a
 * {@code static} field registered with {@code @RegisterExtension} starts once before all tests of
 * the class and stops after them; an instance field starts before each test and stops after it.
 *
 * <p>Outside JUnit every extension is an {@link AutoCloseable}: call {@link #start()} and
 * {@link #close()} yourself ({@code try (var b = HttpBackendExtension.on(ip).build().start())}).
 *
 * @param <S> the extension's own type, returned by {@link #start()}
 */
public abstract class LifecycleExtension<S extends LifecycleExtension<S>>
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
    AutoCloseable {

  private boolean perClass;
  // volatile, and read without the lock: another thread (an Awaitility condition, a server
  // callback) may ask while start() runs under it, and must get an answer, not wait for it
  private volatile boolean started;

  /** Starts the resource; does nothing if it is running. */
  @SuppressWarnings("unchecked")
  public final synchronized S start() {
    if (!started) {
      try {
        doStart();
      } catch (Exception e) {
        throw new IllegalStateException(getClass().getSimpleName() + ": cannot start: " + e, e);
      }
      started = true;
    }
    return (S) this;
  }

  /** Whether {@link #start()} ran and {@link #close()} has not. */
  public final boolean isStarted() {
    return started;
  }

  /** Stops the resource; does nothing if it is not running. */
  @Override
  public final synchronized void close() {
    if (started) {
      started = false;
      doStop();
    }
  }

  /** Fails with a message naming the extension when it is used before it started. */
  protected final void checkStarted() {
    if (!started) {
      throw new IllegalStateException(getClass().getSimpleName() + " is not started (register it"
          + " with @RegisterExtension, or call start())");
    }
  }

  /** Starts what the extension runs. Called once per {@link #start()} of a stopped extension. */
  protected abstract void doStart() throws Exception;

  /** Releases everything {@link #doStart()} took. Must not throw. */
  protected abstract void doStop();

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      close();
    }
  }
}
