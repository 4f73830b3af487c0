package io.inboard.mesh.grpc.internal.client;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.AbstractStub;
import io.inboard.mesh.api.annotation.CircuitBreaker;
import io.inboard.mesh.api.internal.PolicyAnnotations;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Reads a {@code @MeshClient} interface's per-method policy. A method of the interface names an
 * RPC of the stub's service the way the generated stub does ({@code unaryRpc} for
 * {@code UnaryRpc}); its annotations override the interface's for that RPC.
 */
public final class ClientInterfaces {

  private ClientInterfaces() {}

  /**
   * The per-method policies of {@code clientType}, for the service behind {@code stubType}.
   *
   * @throws IllegalArgumentException naming the method when it matches no RPC, carries a
   *     {@code @CircuitBreaker} (one breaker per service), or has invalid annotation values
   */
  public static List<MethodPolicy> methodPolicies(
      Class<?> clientType, Class<?> stubType) {
    List<MethodPolicy> result = new ArrayList<>();
    ServiceDescriptor descriptor = null;
    for (Method method : clientType.getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class) {
        continue;
      }
      if (method.isAnnotationPresent(CircuitBreaker.class)) {
        throw new IllegalArgumentException(where(clientType, method) + " @CircuitBreaker: on a"
            + " method (expected: on the interface; there is one circuit breaker per service)");
      }
      if (descriptor == null) {
        descriptor = serviceDescriptor(clientType, stubType);
      }
      MethodDescriptor<?, ?> rpc = rpcFor(descriptor, clientType, method);
      result.add(new MethodPolicy(rpc.getServiceName(), rpc.getBareMethodName(),
          PolicyAnnotations.read(clientType, method)));
    }
    return result;
  }

  private static MethodDescriptor<?, ?> rpcFor(
      ServiceDescriptor descriptor, Class<?> clientType, Method method) {
    TreeMap<String, MethodDescriptor<?, ?>> byJavaName = new TreeMap<>();
    for (MethodDescriptor<?, ?> m : descriptor.getMethods()) {
      byJavaName.put(javaName(m.getBareMethodName()), m);
    }
    MethodDescriptor<?, ?> rpc = byJavaName.get(method.getName());
    if (rpc == null) {
      throw new IllegalArgumentException(where(clientType, method) + ": no such RPC in "
          + descriptor.getName() + " (expected: one of " + byJavaName.keySet() + ")");
    }
    return rpc;
  }

  /** The generated stub's method name: the RPC name with a lower-case first letter. */
  private static String javaName(String rpcName) {
    return rpcName.isEmpty() ? rpcName
        : rpcName.substring(0, 1).toLowerCase(Locale.ROOT) + rpcName.substring(1);
  }

  /** Generated stubs are nested in {@code FooGrpc}, which has {@code getServiceDescriptor()}. */
  private static ServiceDescriptor serviceDescriptor(Class<?> clientType, Class<?> stubType) {
    Class<?> outer = stubType.getEnclosingClass();
    if (outer != null && AbstractStub.class.isAssignableFrom(stubType)) {
      try {
        Object d = outer.getMethod("getServiceDescriptor").invoke(null);
        if (d instanceof ServiceDescriptor sd) {
          return sd;
        }
      } catch (ReflectiveOperationException | SecurityException e) {
        // Fall through to the error below: the stub is not one protoc generated.
      }
    }
    throw new IllegalArgumentException(clientType.getName() + ": methods with per-RPC policy"
        + " need a generated stub, got " + stubType.getName()
        + " (expected: a stub nested in a protoc-generated FooGrpc class)");
  }

  private static String where(Class<?> type, Method method) {
    return type.getName() + "." + method.getName();
  }
}
