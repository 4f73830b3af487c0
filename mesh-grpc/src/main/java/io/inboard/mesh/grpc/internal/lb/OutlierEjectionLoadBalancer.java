package io.inboard.mesh.grpc.internal.lb;

import io.grpc.ConnectivityState;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import io.grpc.util.ForwardingLoadBalancerHelper;
import io.grpc.util.GracefulSwitchLoadBalancer;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Consecutive-error ejection in front of a child policy, with Envoy's rules (its
 * {@code outlier_detection_impl.cc}):
 *
 * <ul>
 *   <li>An endpoint is ejected at once when a consecutive counter reaches its threshold, unless
 *       that would make the ejected share exceed {@code maxEjectionPercent}: then it stays in and
 *       its counter starts again. One endpoint may always be out, as Envoy's documented
 *       algorithm says ("if no hosts have been ejected, eject immediately"), grpc's A50 detection
 *       does and Inboard's HTTP client does: both planes must eject alike. (Envoy itself
 *       enforces the limit strictly since envoy#27909 unless {@code always_eject_one_host},
 *       envoy#34796; moving both planes to that is a deliberate, separate change.) The share
 *       counts the endpoints this policy is given, i.e. one priority's, as grpc-xds places it
 *       under its priority policy.
 *   <li>The n-th ejection in a row lasts base time × n, capped at {@code max(base, max)}; the
 *       multiplier grows only while base × multiplier is below max + base.
 *   <li>Every interval a timer returns endpoints whose time is up (so an ejection ends on the
 *       first tick after its time), resets their counters, and lowers by one the multiplier of
 *       each endpoint that has been back for at least an interval.
 *   <li>When non-ejected endpoints fall below {@code minHealthPercent} of all, the cluster is in
 *       panic: the child sees every endpoint's real state, ejected or not, until the share
 *       recovers. Health here means not ejected: gRPC has no active health checks to add.
 * </ul>
 *
 * <p>Ejections are counted in the mesh's health metrics (see {@link EjectionMetrics}) under the
 * cluster the config names, with the HTTP client's names and labels.
 *
 * <p>Endpoints are the resolved address groups; an ejection covers every subchannel of one.
 * Everything but counting runs on the channel's synchronization context.
 *
 * <p>Limit: the child learns of an ejection through its subchannels' state listener, which is
 * what grpc 1.85's default pick_first (under round_robin) watches. With
 * {@code GRPC_EXPERIMENTAL_ENABLE_NEW_PICK_FIRST=true} pick_first may instead follow the health
 * listener of grpc's internal health-producer chain, which this policy does not wrap.
 */
final class OutlierEjectionLoadBalancer extends LoadBalancer {

  private final Helper helper;
  private final SynchronizationContext syncContext;
  private final GracefulSwitchLoadBalancer child;
  private final MeshHealthMetrics health;
  private OutlierEjectionConfig config;
  // the cluster the ejection metrics are labelled with, and its active-ejections gauge
  private String metricsCluster = "";
  private AutoCloseable activeGauge;
  /** Endpoints ejected now, for the gauge (read at scrape time, on another thread). */
  private volatile int ejectedNow;
  private Map<Set<SocketAddress>, EndpointHealth> endpoints = new HashMap<>();
  private ScheduledHandle timer;
  private long timerIntervalNanos;
  private final ClusterPoolHold pool = new ClusterPoolHold();
  // the state and picker last handed to the channel, issued again by repick()
  private ConnectivityState lastState;
  private SubchannelPicker lastPicker;

  OutlierEjectionLoadBalancer(Helper helper) {
    this.helper = helper;
    this.syncContext = helper.getSynchronizationContext();
    this.child = new GracefulSwitchLoadBalancer(new ChildHelper());
    this.health = EjectionMetrics.of(helper);
  }

  @Override
  public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
    config = (OutlierEjectionConfig) resolved.getLoadBalancingPolicyConfig();
    Map<Set<SocketAddress>, EndpointHealth> next = new HashMap<>();
    for (EquivalentAddressGroup group : resolved.getAddresses()) {
      Set<SocketAddress> key = Set.copyOf(group.getAddresses());
      EndpointHealth endpoint = endpoints.get(key);
      next.put(key, endpoint != null ? endpoint : new EndpointHealth(key, this));
    }
    endpoints = next;
    endpoints.values().forEach(e -> e.thresholds(config));
    reportTo(config.cluster());
    if (timer == null || timerIntervalNanos != config.intervalNanos()) {
      if (timer != null) {
        timer.cancel();
      }
      timerIntervalNanos = config.intervalNanos();
      timer = syncContext.scheduleWithFixedDelay(this::onInterval, timerIntervalNanos,
          timerIntervalNanos, TimeUnit.NANOSECONDS, helper.getScheduledExecutorService());
    }
    applyEjections();
    pool.update(config.cluster(), config.pool());
    pool.connectionLimits(config.maxRequestsPerConnection(), config.idleTimeoutNanos());
    return child.acceptResolvedAddresses(
        resolved.toBuilder().setLoadBalancingPolicyConfig(config.childConfig()).build());
  }

  @Override
  public void handleNameResolutionError(Status error) {
    child.handleNameResolutionError(error);
  }

  @Override
  public void requestConnection() {
    child.requestConnection();
  }

  @Override
  public void shutdown() {
    if (timer != null) {
      timer.cancel();
    }
    reportTo("");
    child.shutdown();
    pool.release();
  }

  /**
   * Labels the metrics with {@code cluster} from now on ({@code ""}: reports none): Envoy's
   * {@code outlier_detection_ejections_enforced_total} counter and {@code
   * outlier_detection_ejections_active} gauge, as the HTTP client reports them. Per policy
   * instance, i.e. per priority: with several priorities of one cluster the gauge shows the
   * last registered one's ejections (the counter adds up all).
   */
  private void reportTo(String cluster) {
    if (cluster.equals(metricsCluster) || health == MeshHealthMetrics.NOOP) {
      return;
    }
    if (activeGauge != null) {
      try {
        activeGauge.close();
      } catch (Exception e) {
        // a gauge handle only unregisters: nothing to recover
      }
      activeGauge = null;
    }
    metricsCluster = cluster;
    if (!cluster.isEmpty()) {
      activeGauge = health.gauge(MeshHealthMetrics.Gauge.EJECTIONS_ACTIVE, cluster,
          () -> ejectedNow);
    }
  }

  /** Called by an endpoint's counter on any thread; decides on the synchronization context. */
  void thresholdReached(EndpointHealth endpoint, EndpointHealth.Check check) {
    syncContext.execute(() -> eject(endpoint, check));
  }

  private void eject(EndpointHealth endpoint, EndpointHealth.Check check) {
    if (endpoints.get(endpoint.addresses) != endpoint || endpoint.ejected) {
      return;
    }
    endpoint.reset(check);
    long ejected = endpoints.values().stream().filter(e -> e.ejected).count();
    if (ejected + 1 > OutlierDetectionPolicy.maxEjected(endpoints.size(),
        config.maxEjectionPercent())) {
      return; // Envoy's ejections_overflow: the counter starts again
    }
    endpoint.ejected = true;
    endpoint.ejectedAtNanos = System.nanoTime();
    if (!metricsCluster.isEmpty()) {
      health.count(MeshHealthMetrics.Counter.EJECTION, metricsCluster);
    }
    double base = config.baseEjectionNanos();
    if (endpoint.multiplier * base < config.maxEjectionNanos() + base) {
      endpoint.multiplier++;
    }
    applyEjections();
  }

  private void onInterval() {
    long now = System.nanoTime();
    boolean returned = false;
    for (EndpointHealth e : endpoints.values()) {
      if (e.ejected) {
        if (now - e.ejectedAtNanos >= ejectionNanos(e.multiplier)) {
          e.ejected = false;
          e.everReturned = true;
          e.returnedAtNanos = now;
          // as Envoy: a counter near its threshold would eject again on very few errors
          e.resetAll();
          returned = true;
        }
      } else if (e.everReturned && e.multiplier > 0
          && now - e.returnedAtNanos >= config.intervalNanos()) {
        e.multiplier--;
      }
    }
    if (returned) {
      applyEjections();
    }
  }

  private long ejectionNanos(int multiplier) {
    long cap = config.ejectionCapNanos();
    long base = config.baseEjectionNanos();
    return multiplier > cap / base ? cap : Math.min(base * multiplier, cap);
  }

  /** Shows the child ejected endpoints as TRANSIENT_FAILURE, or all as they are in panic. */
  private void applyEjections() {
    boolean panic = inPanic();
    int ejected = 0;
    for (EndpointHealth e : endpoints.values()) {
      ejected += e.ejected ? 1 : 0;
      // a copy: the child may shut subchannels down while it hears of their state
      for (EjectableSubchannel s : List.copyOf(e.subchannels)) {
        s.hidden(e.ejected && !panic);
      }
    }
    ejectedNow = ejected;
  }

  /** Whether too few endpoints are left in: the rule both planes share (Envoy's). */
  private boolean inPanic() {
    int healthy = (int) endpoints.values().stream().filter(e -> !e.ejected).count();
    return OutlierDetectionPolicy.inPanic(healthy, endpoints.size(), config.minHealthPercent());
  }

  /**
   * Issues the last picker again, so that grpc replays the calls it holds for want of a ready
   * connection: a subchannel that connected without the child hearing of it (an idle-closed
   * connection coming back, see {@link RecyclingSubchannel}) would leave them waiting.
   */
  private void repick() {
    if (lastPicker != null) {
      helper.updateBalancingState(lastState, lastPicker);
    }
  }

  /** Ties {@code subchannel} to the endpoint of {@code addresses}, if it has exactly one. */
  void track(EjectableSubchannel subchannel, List<EquivalentAddressGroup> addresses) {
    untrack(subchannel);
    EndpointHealth endpoint = addresses.size() == 1
        ? endpoints.get(Set.copyOf(addresses.get(0).getAddresses())) : null;
    if (endpoint != null) {
      endpoint.subchannels.add(subchannel);
      subchannel.endpoint = endpoint;
      subchannel.hidden(endpoint.ejected && !inPanic());
    }
  }

  void untrack(EjectableSubchannel subchannel) {
    EndpointHealth endpoint = subchannel.endpoint;
    if (endpoint != null) {
      endpoint.subchannels.remove(subchannel);
      subchannel.endpoint = null;
    }
  }

  /** The child's helper: hands out ejectable subchannels and wraps the child's pickers. */
  private final class ChildHelper extends ForwardingLoadBalancerHelper {
    @Override
    protected Helper delegate() {
      return helper;
    }

    @Override
    public Subchannel createSubchannel(CreateSubchannelArgs args) {
      EjectableSubchannel subchannel = new EjectableSubchannel(
          pool.createSubchannel(helper, args, OutlierEjectionLoadBalancer.this::repick),
          syncContext, OutlierEjectionLoadBalancer.this);
      track(subchannel, args.getAddresses());
      return subchannel;
    }

    @Override
    public void updateBalancingState(ConnectivityState state, SubchannelPicker picker) {
      lastState = state;
      lastPicker = new RetryBudgetPicker(new OutcomeRecordingPicker(picker), pool);
      helper.updateBalancingState(state, lastPicker);
    }
  }
}
