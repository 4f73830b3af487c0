package io.inboard.mesh.security.internal.identity;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.security.SpiffeId;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An identity whose material is set from outside: by the CA client on each renewal, or by tests
 * that make their own certificates.
 */
public class InMemoryIdentity implements WorkloadIdentity {
  private static final Logger log = LoggerFactory.getLogger(InMemoryIdentity.class);

  private final SpiffeId id;
  private final CopyOnWriteArrayList<Consumer<IdentityMaterial>> listeners =
      new CopyOnWriteArrayList<>();
  private volatile IdentityMaterial current;

  public InMemoryIdentity(SpiffeId id) {
    this.id = requireNonNull(id, "id");
  }

  @Override
  public SpiffeId id() {
    return id;
  }

  @Override
  public Optional<IdentityMaterial> current() {
    return Optional.ofNullable(current);
  }

  /**
   * Puts {@code material} in force and tells every listener, in the order added; a listener
   * that throws is logged and does not keep the others from hearing of it.
   *
   * @throws IllegalArgumentException if it is for another identity
   */
  public void update(IdentityMaterial material) {
    if (!material.id().equals(id)) {
      throw new IllegalArgumentException("identity: " + material.id() + " (expected: " + id + ")");
    }
    synchronized (this) {
      current = material;
      for (Consumer<IdentityMaterial> l : listeners) {
        try {
          l.accept(material);
        } catch (RuntimeException e) {
          log.warn("Identity listener {} failed on generation {} of {}", l,
              material.generation(), id, e);
        }
      }
    }
  }

  @Override
  public synchronized void addListener(Consumer<IdentityMaterial> listener) {
    listeners.add(requireNonNull(listener, "listener"));
    if (current != null) {
      listener.accept(current);
    }
  }

  @Override
  public void removeListener(Consumer<IdentityMaterial> listener) {
    listeners.remove(listener);
  }

  @Override
  public void close() {}
}
