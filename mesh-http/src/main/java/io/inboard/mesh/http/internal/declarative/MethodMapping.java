package io.inboard.mesh.http.internal.declarative;

import io.inboard.mesh.http.annotation.Body;
import io.inboard.mesh.http.annotation.Delete;
import io.inboard.mesh.http.annotation.Get;
import io.inboard.mesh.http.annotation.Header;
import io.inboard.mesh.http.annotation.PathParam;
import io.inboard.mesh.http.annotation.Post;
import io.inboard.mesh.http.annotation.Put;
import io.inboard.mesh.http.annotation.QueryParam;
import io.inboard.mesh.http.internal.resilience.CallPolicy;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One client-interface method, validated and parsed when the client is created: the HTTP method,
 * the path template, what each parameter binds to, the return kind and the call policy.
 */
final class MethodMapping {

  /** What one parameter binds to. */
  private record Binding(Kind kind, String name) {
    enum Kind { PATH, QUERY, HEADER, BODY }
  }

  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  final String where;
  final String httpMethod;
  final PathTemplate path;
  final ReturnKind returnKind;
  final boolean async;
  final CallPolicy policy;
  private final String baseUri;
  private final Binding[] bindings;
  private final String defaultContentType;
  private final BodyHandler<Object> handler;

  private MethodMapping(String where, String httpMethod, PathTemplate path, Binding[] bindings,
      ReturnKind returnKind, boolean async, CallPolicy policy, String baseUri,
      String defaultContentType) {
    this.where = where;
    this.httpMethod = httpMethod;
    this.path = path;
    this.bindings = bindings;
    this.returnKind = returnKind;
    this.async = async;
    this.policy = policy;
    this.baseUri = baseUri;
    this.defaultContentType = defaultContentType;
    @SuppressWarnings("unchecked")
    BodyHandler<Object> h = (BodyHandler<Object>) returnKind.handler();
    this.handler = h;
  }

  /**
   * Reads {@code method}'s mapping.
   *
   * @param baseUri {@code http://name.namespace[:port]}, the logical URI prefix
   * @throws IllegalArgumentException {@code Type.method field: value (expected: ...)}
   */
  static MethodMapping parse(Method method, String baseUri, CallPolicy policy) {
    String where = method.getDeclaringClass().getName() + "." + method.getName();
    List<String> verbs = new ArrayList<>();
    String verb = null;
    String template = null;
    for (Annotation a : method.getAnnotations()) {
      String v = a instanceof Get g ? "GET:" + g.value() : a instanceof Post p ? "POST:" + p.value()
          : a instanceof Put p ? "PUT:" + p.value() : a instanceof Delete d ? "DELETE:" + d.value()
          : null;
      if (v != null) {
        verb = v.substring(0, v.indexOf(':'));
        template = v.substring(v.indexOf(':') + 1);
        verbs.add("@" + verb.charAt(0) + verb.substring(1).toLowerCase(Locale.ROOT));
      }
    }
    if (verbs.size() != 1) {
      throw new IllegalArgumentException(where + ": " + (verbs.isEmpty() ? "no HTTP method" : verbs)
          + " (expected: exactly one of @Get, @Post, @Put, @Delete)");
    }
    String field = verbs.get(0) + ".value";
    PathTemplate path = PathTemplate.parse(where + " " + field, template);

    Parameter[] params = method.getParameters();
    Binding[] bindings = new Binding[params.length];
    Set<String> pathNames = new HashSet<>();
    String contentType = null;
    boolean hasContentTypeHeader = false;
    for (int i = 0; i < params.length; i++) {
      bindings[i] = binding(where, i, params[i], verb);
      switch (bindings[i].kind()) {
        case PATH -> {
          if (!path.names().contains(bindings[i].name())) {
            throw new IllegalArgumentException(where + " @PathParam.value: '" + bindings[i].name()
                + "' (expected: a {" + bindings[i].name() + "} placeholder in " + field + " '"
                + path + "')");
          }
          pathNames.add(bindings[i].name());
        }
        case BODY -> {
          if (contentType != null) {
            throw new IllegalArgumentException(where + " @Body: on parameters of " + where
                + " more than once (expected: at most one @Body)");
          }
          contentType = params[i].getType() == String.class
              ? "text/plain; charset=utf-8" : "application/octet-stream";
        }
        case HEADER -> hasContentTypeHeader |= bindings[i].name().equalsIgnoreCase("content-type");
        default -> { }
      }
    }
    for (String name : path.names()) {
      if (!pathNames.contains(name)) {
        throw new IllegalArgumentException(where + " " + field + ": '" + path + "' placeholder {"
            + name + "} (expected: a parameter annotated @PathParam(\"" + name + "\"))");
      }
    }
    Type returnType = method.getGenericReturnType();
    Type element = ReturnKind.futureElement(returnType);
    ReturnKind kind = ReturnKind.of(element != null ? element : returnType, element != null);
    if (kind == null) {
      throw new IllegalArgumentException(where + " return type: " + returnType.getTypeName()
          + " (expected: " + ReturnKind.EXPECTED + ")");
    }
    return new MethodMapping(where, verb, path, bindings, kind, element != null, policy, baseUri,
        hasContentTypeHeader ? null : contentType);
  }

  private static Binding binding(String where, int index, Parameter p, String verb) {
    List<Binding> found = new ArrayList<>();
    String what = where + " parameter " + index + " (" + p.getName() + ")";
    if (p.getAnnotation(PathParam.class) != null) {
      found.add(new Binding(Binding.Kind.PATH, p.getAnnotation(PathParam.class).value()));
    }
    if (p.getAnnotation(QueryParam.class) != null) {
      found.add(new Binding(Binding.Kind.QUERY,
          requireName(what, "@QueryParam.value", p.getAnnotation(QueryParam.class).value())));
    }
    if (p.getAnnotation(Header.class) != null) {
      String name = requireName(what, "@Header.value", p.getAnnotation(Header.class).value());
      if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(what + " @Header.value: '" + name
            + "' (expected: a header other than " + RESTRICTED_HEADERS + ", which the JDK client sets)");
      }
      found.add(new Binding(Binding.Kind.HEADER, name));
    }
    if (p.getAnnotation(Body.class) != null) {
      if (p.getType() != String.class && p.getType() != byte[].class) {
        throw new IllegalArgumentException(what + " @Body type: " + p.getType().getTypeName()
            + " (expected: String or byte[])");
      }
      if (!verb.equals("POST") && !verb.equals("PUT")) {
        throw new IllegalArgumentException(what + " @Body: on a " + verb
            + " method (expected: @Post or @Put)");
      }
      found.add(new Binding(Binding.Kind.BODY, ""));
    }
    if (found.size() != 1) {
      throw new IllegalArgumentException(what + ": " + found.size() + " mapping annotations"
          + " (expected: exactly one of @PathParam, @QueryParam, @Header, @Body)");
    }
    return found.get(0);
  }

  private static String requireName(String what, String field, String name) {
    if (name.isBlank()) {
      throw new IllegalArgumentException(what + " " + field + ": '" + name
          + "' (expected: a non-empty name)");
    }
    return name;
  }

  /** The request for one invocation. */
  HttpRequest request(Object[] args) {
    Map<String, String> pathValues = path.names().isEmpty() ? Map.of() : new HashMap<>();
    StringBuilder query = null;
    BodyPublisher body = BodyPublishers.noBody();
    HttpRequest.Builder b = HttpRequest.newBuilder();
    for (int i = 0; i < bindings.length; i++) {
      Binding binding = bindings[i];
      Object arg = args[i];
      switch (binding.kind()) {
        case PATH -> {
          if (arg == null) {
            throw new NullPointerException(where + " @PathParam(\"" + binding.name() + "\")");
          }
          pathValues.put(binding.name(), String.valueOf(arg));
        }
        case QUERY -> {
          if (arg != null) {
            Iterable<?> values = arg instanceof Iterable<?> it ? it : List.of(arg);
            for (Object v : values) {
              query = query == null ? new StringBuilder() : query.append('&');
              query.append(PathTemplate.encodeSegment(binding.name())).append('=')
                  .append(PathTemplate.encodeSegment(String.valueOf(v)));
            }
          }
        }
        case HEADER -> {
          if (arg != null) {
            b.header(binding.name(), String.valueOf(arg));
          }
        }
        case BODY -> body = arg instanceof byte[] bytes ? BodyPublishers.ofByteArray(bytes)
            : arg == null ? BodyPublishers.noBody() : BodyPublishers.ofString((String) arg);
      }
    }
    if (defaultContentType != null) {
      b.header("Content-Type", defaultContentType);
    }
    String uri = baseUri + path.expand(pathValues) + (query == null ? "" : "?" + query);
    return b.uri(URI.create(uri)).method(httpMethod, body).build();
  }

  BodyHandler<Object> handler() {
    return handler;
  }
}
