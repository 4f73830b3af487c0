package io.inboard.benchmarks.scale;

import java.util.List;
import java.util.Map;

/**
 * What one change cost, from the clients' stamps and the control plane's {@code /proc}.
 *
 * @param allAckedMicros from the change to the last client's ACK of the changed type
 * @param clientAckMicros from the change to each client's ACK of the changed type
 * @param bytes the serialized size of every response sent after the change, all clients
 * @param perType how many responses of each type the clients got after the change
 * @param cpuSeconds the control plane's CPU from the change until the clients went quiet
 */
record ChangeRun(String kind, long allAckedMicros, List<Long> clientAckMicros, long bytes,
    Map<AdsLoadClient.Type, Integer> perType, double cpuSeconds) {}
