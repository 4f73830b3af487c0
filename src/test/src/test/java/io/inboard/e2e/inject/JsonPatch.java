package io.inboard.e2e.inject;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Applies an RFC 6902 JSON Patch (add, remove, replace) to a Gson tree, as the API server
 * applies the webhook's patch; paths are RFC 6901 pointers ({@code ~1} is {@code /}).
 */
final class JsonPatch {
  private JsonPatch() {}

  static void apply(JsonObject document, JsonArray patch) {
    for (JsonElement e : patch) {
      JsonObject op = e.getAsJsonObject();
      String path = op.get("path").getAsString();
      int slash = path.lastIndexOf('/');
      JsonElement parent = resolve(document, path.substring(0, slash));
      String last = unescape(path.substring(slash + 1));
      switch (op.get("op").getAsString()) {
        case "add" -> {
          if (parent.isJsonArray()) {
            JsonArray a = parent.getAsJsonArray();
            if (last.equals("-") || Integer.parseInt(last) == a.size()) {
              a.add(op.get("value").deepCopy());
            } else {
              a.set(Integer.parseInt(last), op.get("value").deepCopy());
            }
          } else {
            parent.getAsJsonObject().add(last, op.get("value").deepCopy());
          }
        }
        case "replace" -> {
          if (parent.isJsonArray()) {
            parent.getAsJsonArray().set(Integer.parseInt(last), op.get("value").deepCopy());
          } else {
            parent.getAsJsonObject().add(last, op.get("value").deepCopy());
          }
        }
        case "remove" -> {
          if (parent.isJsonArray()) {
            parent.getAsJsonArray().remove(Integer.parseInt(last));
          } else {
            parent.getAsJsonObject().remove(last);
          }
        }
        default -> throw new IllegalArgumentException("op: " + op + " (expected: add, remove,"
            + " replace)");
      }
    }
  }

  private static JsonElement resolve(JsonElement root, String pointer) {
    JsonElement cur = root;
    if (pointer.isEmpty()) {
      return cur;
    }
    for (String token : pointer.substring(1).split("/")) {
      String key = unescape(token);
      cur = cur.isJsonArray() ? cur.getAsJsonArray().get(Integer.parseInt(key))
          : cur.getAsJsonObject().get(key);
      if (cur == null) {
        throw new IllegalArgumentException("path: " + pointer + " (expected: an existing parent)");
      }
    }
    return cur;
  }

  private static String unescape(String token) {
    return token.replace("~1", "/").replace("~0", "~");
  }
}
