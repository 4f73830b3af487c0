package io.inboard.mesh.telemetry.internal.tracing;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the OTLP exporters' senders so that OTLP/HTTP uses the JDK's HttpClient: both the JDK
 * and the OkHttp sender are on the class path (OkHttp is the only gRPC sender served), and the
 * SDK would otherwise pick either HTTP sender, with a warning.
 */
final class JdkHttpSenderFirst implements ComponentLoader {

  private final ComponentLoader delegate =
      ComponentLoader.forClassLoader(JdkHttpSenderFirst.class.getClassLoader());

  @Override
  public <T> Iterable<T> load(Class<T> spi) {
    Iterable<T> all = delegate.load(spi);
    if (spi != HttpSenderProvider.class) {
      return all;
    }
    List<T> jdk = new ArrayList<>(1);
    for (T provider : all) {
      if (provider.getClass().getName().startsWith("io.opentelemetry.exporter.sender.jdk.")) {
        jdk.add(provider);
      }
    }
    return jdk.isEmpty() ? all : jdk;
  }
}
