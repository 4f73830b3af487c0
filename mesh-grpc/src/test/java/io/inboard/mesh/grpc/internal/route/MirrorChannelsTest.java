package io.inboard.mesh.grpc.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.grpc.internal.xds.ConfigSelectorState;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mirror channels' call option costs nothing until a route mirrors, except on the calls a
 * channel makes before it has a config: the end-to-end mirroring itself, first call included, is
 * {@code GrpcRouteFilterTest}'s.
 */
class MirrorChannelsTest {

  private final MirrorChannels mirrors = new MirrorChannels(listener -> {
    throw new AssertionError("no mirror channel is made here");
  });
  private final ConfigSelectorState selector = new ConfigSelectorState();
  private final AtomicReference<CallOptions> passedOn = new AtomicReference<>();
  private final Channel next = new Channel() {
    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      passedOn.set(options);
      return null;
    }

    @Override
    public String authority() {
      return "primary.test:80";
    }
  };

  @AfterEach
  void closeMirrors() {
    mirrors.close();
  }

  @Test
  void withoutAMirroringRoute_callsOfARoutingChannelPassUnchanged() {
    MirrorChannels.forgetMirroringRoutes();
    selector.routing(true);
    CallOptions options = CallOptions.DEFAULT.withAuthority("primary.test:80");

    mirrors.interceptor(selector).interceptCall(SimpleServiceGrpc.getUnaryRpcMethod(), options,
        next);

    assertThat(passedOn.get()).isSameAs(options);
  }

  @Test
  void beforeTheChannelHasAConfig_callsCarryTheChannels_asTheirRouteMayMirror() {
    MirrorChannels.forgetMirroringRoutes();
    selector.routing(false);

    mirrors.interceptor(selector).interceptCall(SimpleServiceGrpc.getUnaryRpcMethod(),
        CallOptions.DEFAULT, next);

    assertThat(passedOn.get().getOption(MirrorChannels.KEY)).isSameAs(mirrors);
  }

  @Test
  void onceARouteMirrors_everyCallCarriesTheChannels() {
    MirrorChannels.forgetMirroringRoutes();
    selector.routing(true);
    new GrpcRoutePolicy(HeaderChanges.NONE, HeaderChanges.NONE, null, 0,
        List.of(new MirrorPolicy("outbound|80||mirror.test", "mirror.test:80",
            MirrorPolicy.MILLION, true)));

    mirrors.interceptor(selector).interceptCall(SimpleServiceGrpc.getUnaryRpcMethod(),
        CallOptions.DEFAULT, next);

    assertThat(passedOn.get().getOption(MirrorChannels.KEY)).isSameAs(mirrors);
  }

  @Test
  void aRouteWithoutMirrors_leavesTheLatchAlone() {
    MirrorChannels.forgetMirroringRoutes();
    selector.routing(true);
    new GrpcRoutePolicy(HeaderChanges.NONE, HeaderChanges.NONE, null, 0, List.of());

    mirrors.interceptor(selector).interceptCall(SimpleServiceGrpc.getUnaryRpcMethod(),
        CallOptions.DEFAULT, next);

    assertThat(passedOn.get()).isSameAs(CallOptions.DEFAULT);
  }
}
