package io.inboard.mesh.api.internal.telemetry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protobuf wire form of a {@code google.protobuf.Struct} holding strings and nested structs,
 * which is all Istio's peer metadata needs; written by hand so that {@code mesh-api} does not
 * depend on protobuf. Other value kinds are skipped when read.
 */
final class StructWire {
  // Struct.fields = 1 (map entry: key = 1, value = 2); Value.string_value = 3, struct_value = 5
  private static final int LEN = 2;
  private static final int FIELDS = 1;
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  private static final int STRING_VALUE = 3;
  private static final int STRUCT_VALUE = 5;

  private StructWire() {}

  /** Encodes {@code fields}: values are strings or maps of the same kind. */
  static byte[] encode(Map<String, ?> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      if (e.getValue() instanceof Map<?, ?> nested) {
        @SuppressWarnings("unchecked")
        Map<String, ?> m = (Map<String, ?>) nested;
        bytesField(value, STRUCT_VALUE, encode(m));
      } else {
        bytesField(value, STRING_VALUE, String.valueOf(e.getValue())
            .getBytes(StandardCharsets.UTF_8));
      }
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      bytesField(entry, ENTRY_KEY, e.getKey().getBytes(StandardCharsets.UTF_8));
      bytesField(entry, ENTRY_VALUE, value.toByteArray());
      bytesField(out, FIELDS, entry.toByteArray());
    }
    return out.toByteArray();
  }

  /**
   * Decodes a Struct into strings and nested maps.
   *
   * @throws IllegalArgumentException when the bytes are not a well-formed message
   */
  static Map<String, Object> decode(byte[] bytes) {
    Map<String, Object> fields = new LinkedHashMap<>();
    Reader r = new Reader(bytes, 0, bytes.length);
    while (r.more()) {
      int tag = r.varint32();
      if (tag >>> 3 == FIELDS && (tag & 7) == LEN) {
        Reader entry = r.sub();
        String key = null;
        Object value = null;
        while (entry.more()) {
          int t = entry.varint32();
          if (t >>> 3 == ENTRY_KEY && (t & 7) == LEN) {
            key = entry.string();
          } else if (t >>> 3 == ENTRY_VALUE && (t & 7) == LEN) {
            value = value(entry.sub());
          } else {
            entry.skip(t & 7);
          }
        }
        if (key != null && value != null) {
          fields.put(key, value);
        }
      } else {
        r.skip(tag & 7);
      }
    }
    return fields;
  }

  private static Object value(Reader v) {
    Object result = null;
    while (v.more()) {
      int t = v.varint32();
      if (t >>> 3 == STRING_VALUE && (t & 7) == LEN) {
        result = v.string();
      } else if (t >>> 3 == STRUCT_VALUE && (t & 7) == LEN) {
        Reader s = v.sub();
        result = decode(s.rest());
      } else {
        v.skip(t & 7);
      }
    }
    return result;
  }

  private static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
    varint(out, (field << 3) | LEN);
    varint(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** A bounded cursor over a message's bytes. */
  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int end;

    Reader(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte x = b[pos++];
        result |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    int varint32() {
      long v = varint();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tag out of range: " + v);
      }
      return (int) v;
    }

    Reader sub() {
      int len = varint32();
      if (len > end - pos) {
        throw new IllegalArgumentException("length " + len + " past the end");
      }
      Reader r = new Reader(b, pos, pos + len);
      pos += len;
      return r;
    }

    String string() {
      Reader s = sub();
      return new String(b, s.pos, s.end - s.pos, StandardCharsets.UTF_8);
    }

    byte[] rest() {
      byte[] copy = java.util.Arrays.copyOfRange(b, pos, end);
      pos = end;
      return copy;
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> sub();
        case 5 -> advance(4);
        default -> throw new IllegalArgumentException("wire type " + wireType);
      }
    }

    private void advance(int n) {
      if (n > end - pos) {
        throw new IllegalArgumentException("truncated field");
      }
      pos += n;
    }
  }
}
