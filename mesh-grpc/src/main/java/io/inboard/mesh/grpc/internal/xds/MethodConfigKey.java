package io.inboard.mesh.grpc.internal.xds;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A per-call method config of grpc-xds (a JSON-like tree of maps, lists, strings, numbers and
 * booleans) as a memo key: equal trees are equal keys, as {@link Map#equals} would say.
 *
 * <p>Why not the map itself: {@code Map.hashCode} and {@code equals} on grpc-xds's Guava and
 * {@code Collections} maps build entry sets and iterators at every level, about 1 KB per call.
 * This walks the tree with {@link Map#forEach} and indexed list access, which allocate nothing
 * on those maps and lists; the cost per call is this key and one small visitor per map.
 */
final class MethodConfigKey {

  private final Map<String, ?> tree;
  private final int hash;

  MethodConfigKey(Map<String, ?> tree) {
    this.tree = tree;
    this.hash = hash(tree);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof MethodConfigKey k && k.hash == hash && same(tree, k.tree);
  }

  /** A hash that agrees with {@link #same}: maps are hashed independently of their order. */
  static int hash(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return 0;
      }
      MapHash h = new MapHash();
      map.forEach(h);
      return h.sum;
    }
    if (value instanceof List<?> list) {
      int h = 1;
      for (int i = 0, n = list.size(); i < n; i++) {
        h = 31 * h + hash(list.get(i));
      }
      return h;
    }
    return Objects.hashCode(value);
  }

  /** Whether two trees hold the same content; maps by key, lists in order. */
  static boolean same(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      if (x.isEmpty()) {
        return true;
      }
      MapSame s = new MapSame(y);
      x.forEach(s);
      return s.same;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      int n = x.size();
      if (n != y.size()) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static final class MapHash implements BiConsumer<Object, Object> {
    int sum;

    @Override
    public void accept(Object key, Object value) {
      sum += Objects.hashCode(key) ^ hash(value);
    }
  }

  private static final class MapSame implements BiConsumer<Object, Object> {
    private final Map<?, ?> other;
    boolean same = true;

    MapSame(Map<?, ?> other) {
      this.other = other;
    }

    @Override
    public void accept(Object key, Object value) {
      if (same) {
        Object theirs = other.get(key);
        same = same(value, theirs) && (theirs != null || other.containsKey(key));
      }
    }
  }
}
