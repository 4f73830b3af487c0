package io.inboard.mesh.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InternalMeshStateTest {

  private static final InternalMesh.StateKey<Counter> COUNTER =
      InternalMesh.StateKey.of("counter", Counter.class);
  private static final InternalMesh.StateKey<Counter> OTHER =
      InternalMesh.StateKey.of("other counter", Counter.class);

  /** A slot value that records its closing. */
  static final class Counter implements AutoCloseable {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private static Mesh newMesh() {
    return Mesh.builder().workloadName("w").namespace("ns").discovery(new StaticDiscovery())
        .build();
  }

  @Test
  void state_madeOncePerMeshAndKey() {
    AtomicInteger made = new AtomicInteger();
    try (Mesh mesh = newMesh()) {
      Counter first = InternalMesh.state(mesh, COUNTER, () -> {
        made.incrementAndGet();
        return new Counter();
      });
      Counter again = InternalMesh.state(mesh, COUNTER, () -> {
        made.incrementAndGet();
        return new Counter();
      });
      Counter other = InternalMesh.state(mesh, OTHER, Counter::new);

      assertThat(again).isSameAs(first);
      assertThat(other).isNotSameAs(first);
      assertThat(made).hasValue(1);
      assertThat(InternalMesh.findState(mesh, COUNTER)).containsSame(first);
    }
  }

  @Test
  void state_separatePerMesh() {
    try (Mesh a = newMesh(); Mesh b = newMesh()) {
      assertThat(InternalMesh.state(a, COUNTER, Counter::new))
          .isNotSameAs(InternalMesh.state(b, COUNTER, Counter::new));
    }
  }

  @Test
  void close_closesAutoCloseableStateOnceAndForgetsIt() {
    Mesh mesh = newMesh();
    Counter counter = InternalMesh.state(mesh, COUNTER, Counter::new);

    mesh.close();
    mesh.close();

    assertThat(counter.closes).hasValue(1);
    assertThat(InternalMesh.findState(mesh, COUNTER)).isEmpty();
    assertThat(InternalMesh.isClosed(mesh)).isTrue();
  }

  @Test
  void state_afterClose_failsNamingTheWorkload() {
    Mesh mesh = newMesh();
    mesh.close();
    assertThatThrownBy(() -> InternalMesh.state(mesh, COUNTER, Counter::new))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("mesh for workload 'w' is closed");
  }

  @Test
  void close_closesStateAndOwnedResourcesInReverseOrderOfCreation() {
    List<String> closed = new ArrayList<>();
    Mesh mesh = newMesh();
    InternalMesh.own(mesh, () -> closed.add("owned first"));
    InternalMesh.state(mesh, InternalMesh.StateKey.of("slot", AutoCloseable.class),
        () -> () -> closed.add("slot"));
    InternalMesh.own(mesh, () -> closed.add("owned last"));

    mesh.close();

    assertThat(closed).containsExactly("owned last", "slot", "owned first");
  }
}
