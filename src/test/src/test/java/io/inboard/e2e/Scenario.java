package io.inboard.e2e;

import java.util.Map;

/**
 * One row of the conformance table: a VirtualService (with {@code SVC} for the service's name)
 * and the outcome both data planes must give under it.
 *
 * @param name the row's name, a behaviour
 * @param virtualService the config applied for it, the same for both planes
 * @param trafficPolicy the DestinationRule's {@code spec.trafficPolicy} for it, as YAML flow
 *     (for example {@code {outlierDetection: {...}}}), or empty for none; the same for both planes
 * @param check runs calls through a plane and asserts the outcome
 * @param notHonoured per plane that cannot honour the scenario, the reason; the row is then
 *     reported as skipped for that plane, with the reason
 */
record Scenario(String name, String virtualService, String trafficPolicy, Check check,
    Map<DataPlane.Kind, String> notHonoured) {

  /** The calls and assertions of a row. */
  @FunctionalInterface
  interface Check {
    void run(ConformanceBed bed, DataPlane plane, String service) throws Exception;
  }

  Scenario(String name, String virtualService, Check check) {
    this(name, virtualService, "", check, Map.of());
  }

  Scenario(String name, String virtualService, String trafficPolicy, Check check) {
    this(name, virtualService, trafficPolicy, check, Map.of());
  }
}
