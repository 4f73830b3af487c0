package io.inboard.mesh.security.internal.inbound;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inboard.mesh.security.internal.authz.PolicySource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the control plane hands a workload the AuthorizationPolicies and RequestAuthentications
 * that apply to it: as Istio wrote them, in the {@code virtualInbound} listener's {@code
 * metadata.filter_metadata["io.inboard.mesh"]}, under {@value #AUTHORIZATION_POLICIES} and
 * {@value #REQUEST_AUTHENTICATIONS}: lists of {@code {namespace, name, spec}}. A
 * RequestAuthentication's {@code jwksUri} arrives with the key set the control plane fetched
 * from it as {@code jwks} (absent while no fetch has succeeded). Workloads compile what they
 * receive; the control plane compiled the same text before sending it.
 */
public final class SecurityPolicyWire {
  /** The key of the AuthorizationPolicy list. */
  public static final String AUTHORIZATION_POLICIES = "authorizationPolicies";
  /** The key of the RequestAuthentication list. */
  public static final String REQUEST_AUTHENTICATIONS = "requestAuthentications";

  private SecurityPolicyWire() {}

  /** Writes both lists into {@code into} (the listener's Inboard metadata). */
  public static Struct.Builder write(Struct.Builder into, List<PolicySource> authorizationPolicies,
      List<PolicySource> requestAuthentications) {
    into.putFields(AUTHORIZATION_POLICIES, list(authorizationPolicies));
    into.putFields(REQUEST_AUTHENTICATIONS, list(requestAuthentications));
    return into;
  }

  /** The AuthorizationPolicies in {@code metadata}; empty when it has none. */
  public static List<PolicySource> authorizationPolicies(Struct metadata) {
    return read(metadata, AUTHORIZATION_POLICIES);
  }

  /** The RequestAuthentications in {@code metadata}; empty when it has none. */
  public static List<PolicySource> requestAuthentications(Struct metadata) {
    return read(metadata, REQUEST_AUTHENTICATIONS);
  }

  private static Value list(List<PolicySource> sources) {
    ListValue.Builder l = ListValue.newBuilder();
    for (PolicySource s : sources) {
      l.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("namespace", Value.newBuilder().setStringValue(s.namespace()).build())
          .putFields("name", Value.newBuilder().setStringValue(s.name()).build())
          .putFields("spec", toValue(s.spec()))));
    }
    return Value.newBuilder().setListValue(l).build();
  }

  private static List<PolicySource> read(Struct metadata, String key) {
    Value v = metadata.getFieldsMap().get(key);
    if (v == null) {
      return List.of();
    }
    if (!v.hasListValue()) {
      throw new IllegalArgumentException(key + ": " + v.getKindCase()
          + " (expected: a list of {namespace, name, spec})");
    }
    List<PolicySource> out = new ArrayList<>();
    for (int i = 0; i < v.getListValue().getValuesCount(); i++) {
      Value item = v.getListValue().getValues(i);
      String at = key + "[" + i + "]";
      if (!item.hasStructValue()) {
        throw new IllegalArgumentException(at + ": " + item.getKindCase()
            + " (expected: {namespace, name, spec})");
      }
      Map<String, Value> f = item.getStructValue().getFieldsMap();
      Object spec = f.containsKey("spec") ? toJava(f.get("spec")) : Map.of();
      if (!(spec instanceof Map<?, ?>)) {
        throw new IllegalArgumentException(at + ".spec: " + spec + " (expected: a mapping)");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> specMap = (Map<String, Object>) spec;
      out.add(new PolicySource(string(f, "namespace", at), string(f, "name", at), specMap));
    }
    return List.copyOf(out);
  }

  private static String string(Map<String, Value> f, String key, String at) {
    Value v = f.get(key);
    if (v == null || !v.hasStringValue()) {
      throw new IllegalArgumentException(at + "." + key + ": " + (v == null ? "missing"
          : v.getKindCase()) + " (expected: a string)");
    }
    return v.getStringValue();
  }

  /** A JSON tree (as YAML loads it) as a protobuf Value. */
  public static Value toValue(Object o) {
    Value.Builder v = Value.newBuilder();
    if (o == null) {
      return v.setNullValue(NullValue.NULL_VALUE).build();
    } else if (o instanceof String s) {
      return v.setStringValue(s).build();
    } else if (o instanceof Boolean b) {
      return v.setBoolValue(b).build();
    } else if (o instanceof Number n) {
      return v.setNumberValue(n.doubleValue()).build();
    } else if (o instanceof Map<?, ?> m) {
      Struct.Builder s = Struct.newBuilder();
      m.forEach((k, x) -> s.putFields(String.valueOf(k), toValue(x)));
      return v.setStructValue(s).build();
    } else if (o instanceof List<?> l) {
      ListValue.Builder lv = ListValue.newBuilder();
      l.forEach(x -> lv.addValues(toValue(x)));
      return v.setListValue(lv).build();
    }
    // dates and other scalars YAML may produce are carried as their text
    return v.setStringValue(o.toString()).build();
  }

  /**
   * A protobuf Value as a JSON tree; whole numbers come back as {@link Long} (Struct keeps
   * every number as a double, and ports or counts must read as integers again).
   */
  public static Object toJava(Value v) {
    switch (v.getKindCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case NUMBER_VALUE: {
        double d = v.getNumberValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
      }
      case STRUCT_VALUE: {
        Map<String, Object> m = new LinkedHashMap<>();
        v.getStructValue().getFieldsMap().forEach((k, x) -> m.put(k, toJava(x)));
        return m;
      }
      case LIST_VALUE: {
        List<Object> l = new ArrayList<>();
        v.getListValue().getValuesList().forEach(x -> l.add(toJava(x)));
        return l;
      }
      default:
        return null;
    }
  }
}
