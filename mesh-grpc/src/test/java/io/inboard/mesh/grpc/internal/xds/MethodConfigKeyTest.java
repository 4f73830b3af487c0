package io.inboard.mesh.grpc.internal.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memo key of grpc-xds's per-call method config: equal exactly when the maps are equal. */
class MethodConfigKeyTest {

  /** As grpc-xds builds it: Guava maps and lists, singletons from {@code Collections}. */
  private static Map<String, ?> grpcXdsShape(String timeout, String code) {
    return Collections.singletonMap("methodConfig", Collections.singletonList(ImmutableMap.of(
        "name", Collections.singletonList(Collections.emptyMap()),
        "timeout", timeout,
        "retryPolicy", ImmutableMap.of("maxAttempts", 3.0, "initialBackoff", "0.025s",
            "backoffMultiplier", 2D, "retryableStatusCodes", ImmutableList.of(code)))));
  }

  /** The same content in other map and list types, keys in another order. */
  private static Map<String, ?> otherShape(String timeout, String code) {
    Map<String, Object> retry = new LinkedHashMap<>();
    retry.put("retryableStatusCodes", new ArrayList<>(List.of(code)));
    retry.put("backoffMultiplier", 2D);
    retry.put("initialBackoff", "0.025s");
    retry.put("maxAttempts", 3.0);
    Map<String, Object> method = new HashMap<>();
    method.put("retryPolicy", retry);
    method.put("timeout", timeout);
    method.put("name", List.of(new HashMap<>()));
    return Map.of("methodConfig", List.of(method));
  }

  @Test
  void equalContent_equalKeysWithEqualHashes_whateverTheCollectionTypes() {
    MethodConfigKey a = new MethodConfigKey(grpcXdsShape("2.000000000s", "UNAVAILABLE"));
    MethodConfigKey b = new MethodConfigKey(otherShape("2.000000000s", "UNAVAILABLE"));

    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
  }

  @Test
  void nestedValueDiffers_keysDiffer() {
    MethodConfigKey base = new MethodConfigKey(grpcXdsShape("2.000000000s", "UNAVAILABLE"));

    assertThat(new MethodConfigKey(grpcXdsShape("1.000000000s", "UNAVAILABLE")))
        .isNotEqualTo(base);
    assertThat(new MethodConfigKey(grpcXdsShape("2.000000000s", "CANCELLED")))
        .isNotEqualTo(base);
  }

  @Test
  void agreesWithMapEquals_onMissingKeysAndNullValues() {
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("timeout", null);
    Map<String, Object> withOther = new HashMap<>();
    withOther.put("other", null);

    assertThat(MethodConfigKey.same(withNull, withOther)).isEqualTo(withNull.equals(withOther))
        .isFalse();
    assertThat(MethodConfigKey.same(withNull, new HashMap<>(withNull))).isTrue();
    assertThat(MethodConfigKey.same(List.of(1.0, 2.0), List.of(2.0, 1.0))).isFalse();
  }
}
