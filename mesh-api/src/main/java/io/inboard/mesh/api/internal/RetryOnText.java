package io.inboard.mesh.api.internal;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryOn.Condition;
import io.inboard.mesh.api.policy.RetryOn.GrpcCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses {@link RetryOn} text naming where it came from ({@code @Retry.retryOn}, a
 * VirtualService's YAML path, an xDS field) in its errors; {@link RetryOn#parse(String)} is the
 * public form.
 */
public final class RetryOnText {

  private RetryOnText() {}

  /**
   * Parses {@code text} as {@link RetryOn#parse(String)} does.
   *
   * @param field the field named in errors, for example {@code retry.retryOn}
   * @throws IllegalArgumentException {@code field: 'token' (expected: ...)}
   */
  public static RetryOn parse(String field, String text) {
    requireNonNull(field, "field");
    requireNonNull(text, "text");
    Set<Condition> conditions = new LinkedHashSet<>();
    Set<Integer> codes = new LinkedHashSet<>();
    Set<GrpcCode> grpc = new LinkedHashSet<>();
    for (String raw : text.split(",")) {
      String token = raw.trim().toLowerCase(Locale.ROOT);
      if (token.isEmpty()) {
        continue;
      }
      if (token.chars().allMatch(Character::isDigit)) {
        int code = token.length() > 9 ? -1 : Integer.parseInt(token);
        if (code < 100 || code > 599) {
          throw new IllegalArgumentException(
              field + ": '" + raw.trim() + "' (expected: an HTTP status 100..599)");
        }
        codes.add(code);
        conditions.add(Condition.RETRIABLE_STATUS_CODES);
        continue;
      }
      Condition c = conditionOf(token);
      if (c != null) {
        conditions.add(c);
        continue;
      }
      GrpcCode g = grpcOf(token);
      if (g != null) {
        grpc.add(g);
        continue;
      }
      throw new IllegalArgumentException(field + ": '" + raw.trim() + "' (expected: one of "
          + allNames() + ", or an HTTP status code)");
    }
    return new RetryOn(conditions, codes, grpc);
  }

  private static Condition conditionOf(String token) {
    for (Condition c : Condition.values()) {
      if (c.text().equals(token)) {
        return c;
      }
    }
    return null;
  }

  private static GrpcCode grpcOf(String token) {
    for (GrpcCode g : GrpcCode.values()) {
      if (g.text().equals(token)) {
        return g;
      }
    }
    return null;
  }

  private static String allNames() {
    List<String> names = new ArrayList<>();
    for (Condition c : Condition.values()) {
      names.add(c.text());
    }
    for (GrpcCode g : GrpcCode.values()) {
      names.add(g.text());
    }
    return String.join(", ", names);
  }
}
