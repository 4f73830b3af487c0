package io.inboard.mesh.controlplane.internal.jwks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;

/**
 * The shape check of a JSON Web Key Set (RFC 7517 §5): a JSON object whose {@code keys} is an
 * array of objects that each name their {@code kty}. It is the check both an inline {@code jwks}
 * and a fetched one pass before any key is read; whether the keys themselves are usable is for
 * the JWT compiler to say.
 */
public final class JwksDocument {
  /** What a problem message says was expected. */
  public static final String EXPECTED =
      "a JSON Web Key Set such as {\"keys\": [{\"kty\": \"RSA\", \"n\": \"...\", \"e\": \"AQAB\"}]}";

  private JwksDocument() {}

  /** Why {@code text} is not a JSON Web Key Set; empty when it is one. */
  public static Optional<String> problem(String text) {
    JsonElement root;
    try {
      root = parse(text);
    } catch (JsonParseException e) {
      return Optional.of("not JSON (" + firstLine(e.getMessage()) + ")");
    }
    if (!root.isJsonObject()) {
      return Optional.of("JSON but not an object");
    }
    JsonElement keys = root.getAsJsonObject().get("keys");
    if (keys == null || !keys.isJsonArray()) {
      return Optional.of("an object without a \"keys\" array");
    }
    for (int i = 0; i < keys.getAsJsonArray().size(); i++) {
      JsonElement key = keys.getAsJsonArray().get(i);
      if (!key.isJsonObject() || !isString(key.getAsJsonObject(), "kty")) {
        return Optional.of("keys[" + i + "] is not a key object with a \"kty\"");
      }
    }
    return Optional.empty();
  }

  /** The parsed form of a valid key set, to tell a rotated set from the same one re-served. */
  static JsonElement parse(String text) {
    // strict: a key set that only a lenient reader accepts would fail in the JWT library
    JsonReader reader = new JsonReader(new StringReader(text));
    reader.setStrictness(Strictness.STRICT);
    JsonElement root = JsonParser.parseReader(reader);
    try {
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new JsonParseException("more after the end of the JSON value");
      }
    } catch (IOException e) {
      throw new JsonParseException(e);
    }
    return root;
  }

  private static boolean isString(JsonObject o, String member) {
    JsonElement e = o.get(member);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
