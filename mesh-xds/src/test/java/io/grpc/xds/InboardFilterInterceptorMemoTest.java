package io.grpc.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.grpc.ClientInterceptor;
import io.grpc.xds.InboardGrpcBridge.ParsedConfig;
import io.inboard.mesh.xds.internal.GrpcClientFilter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * grpc-xds asks a filter for its interceptor on every call; the bridge builds it once per
 * route config (and listener-wide config and scheduler), and keeps config equality by value.
 */
class InboardFilterInterceptorMemoTest {

  private static final String TYPE_URL = "type.googleapis.com/inboard.test.MemoFilter";
  private static final AtomicInteger BUILDS = new AtomicInteger();
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor();
  private static final Filter FILTER;

  static {
    InboardGrpcBridge.registerClientFilter(new GrpcClientFilter<String>() {
      @Override
      public String typeUrl() {
        return TYPE_URL;
      }

      @Override
      public String parse(Any config) {
        return "top";
      }

      @Override
      public String parseOverride(Any config) {
        return "route";
      }

      @Override
      public ClientInterceptor interceptor(String config, String override,
          InboardRouteMethodConfig methodConfig, ScheduledExecutorService scheduler) {
        BUILDS.incrementAndGet();
        return new ClientInterceptor() {
          @Override
          public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(
              io.grpc.MethodDescriptor<Q, R> method, io.grpc.CallOptions options,
              io.grpc.Channel next) {
            return next.newCall(method, options);
          }
        };
      }
    });
    FILTER = FilterRegistry.getDefaultRegistry().get(TYPE_URL).newInstance(null);
  }

  @AfterAll
  static void stopTimer() {
    TIMER.shutdownNow();
  }

  private static ParsedConfig<String> config(String value) {
    return new ParsedConfig<>(TYPE_URL, value, null);
  }

  @Test
  void everyCallOfARoute_getsTheInterceptorBuiltForItsFirstCall() {
    ParsedConfig<String> top = config("top");
    ParsedConfig<String> route = config("route");
    int before = BUILDS.get();

    ClientInterceptor first = FILTER.buildClientInterceptor(top, route, TIMER);
    ClientInterceptor second = FILTER.buildClientInterceptor(top, route, TIMER);

    assertThat(second).isSameAs(first);
    assertThat(BUILDS.get() - before).isEqualTo(1);
  }

  @Test
  void aRouteWithoutItsOwnConfig_keepsItOnTheListenerWideConfig() {
    ParsedConfig<String> top = config("top");
    int before = BUILDS.get();

    ClientInterceptor first = FILTER.buildClientInterceptor(top, null, TIMER);

    assertThat(FILTER.buildClientInterceptor(top, null, TIMER)).isSameAs(first);
    assertThat(BUILDS.get() - before).isEqualTo(1);
  }

  @Test
  void aNewUpdatesConfigs_orAnotherListenerWideConfig_buildAnew() {
    ParsedConfig<String> top = config("top");
    ParsedConfig<String> route = config("route");
    ClientInterceptor first = FILTER.buildClientInterceptor(top, route, TIMER);

    // an update parses new (equal) config objects: the new objects get their own interceptor
    assertThat(FILTER.buildClientInterceptor(top, config("route"), TIMER)).isNotSameAs(first);
    // the same route under another listener-wide config is built for that one
    assertThat(FILTER.buildClientInterceptor(config("top"), route, TIMER)).isNotSameAs(first);
  }

  @Test
  void configsCompareByValue_whateverTheyKeep() {
    ParsedConfig<String> kept = config("route");
    FILTER.buildClientInterceptor(config("top"), kept, TIMER);

    assertThat(kept).isEqualTo(config("route")).hasSameHashCodeAs(config("route"));
    assertThat(kept).isNotEqualTo(config("other"));
  }
}
