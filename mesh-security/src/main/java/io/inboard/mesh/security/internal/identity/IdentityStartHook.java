package io.inboard.mesh.security.internal.identity;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.MeshStartHook;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a workload's first certificate while its mesh is built, so that its first mTLS call
 * or connection finds one: {@code build()} waits up to the mesh's {@code initialConfigTimeout},
 * then returns anyway, with a warning, while the identity keeps trying in the background.
 */
public final class IdentityStartHook implements MeshStartHook {
  private static final Logger log = LoggerFactory.getLogger(IdentityStartHook.class);

  @Override
  public void started(Mesh mesh) {
    if (mesh.settings().identity().isEmpty()) {
      return;
    }
    MeshIdentity.of(mesh).ifPresent(identity -> {
      Duration timeout = mesh.settings().initialConfigTimeout();
      CountDownLatch first = new CountDownLatch(1);
      Consumer<IdentityMaterial> listener = m -> first.countDown();
      identity.addListener(listener);
      try {
        if (!first.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("No certificate for {} from CA {} within {} ms; the mesh starts without one"
              + " and keeps asking: mTLS waits for it", identity.id(),
              mesh.settings().identity().get().caAddress(), timeout.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        identity.removeListener(listener);
      }
    });
  }
}
