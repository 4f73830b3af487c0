package io.inboard.benchmarks;

/**
 * One timed change. Every time is in nanoseconds from just before the change was made
 * ({@code ControlPlane.apply} or {@code register} called).
 *
 * @param kind what was changed
 * @param clients how many clients were connected
 * @param round the pass over client counts it was taken in (from 1)
 * @param publishNanos until {@code apply}/{@code register} returned: parsing, translation and
 *     the cache pushing the new snapshot onto every open stream
 * @param firstAckNanos until the first client was seen to ACK the changed type
 * @param allAckNanos until every client was seen to ACK the changed type: the headline number
 * @param allTypesNanos until every client was seen to ACK all four types (each change re-sends
 *     all of them; see BENCHMARKS.md)
 * @param cpuNanos CPU time this whole process (control plane, every client, the poller) used
 *     from the change until all four types were ACKed: compared with {@code allTypesNanos} it
 *     tells whether the run was CPU-bound. The JVM reads it in scheduler ticks (10 ms here), so
 *     only its mean over many changes means anything
 */
record Sample(ChangeKind kind, int clients, int round, long publishNanos, long firstAckNanos,
    long allAckNanos, long allTypesNanos, long cpuNanos) {

  static String csvHeader() {
    return "kind,clients,round,publish_us,first_ack_us,all_ack_us,all_types_us,cpu_us";
  }

  String csv() {
    return String.join(",", kind.name(), Integer.toString(clients), Integer.toString(round),
        Long.toString(publishNanos / 1000), Long.toString(firstAckNanos / 1000),
        Long.toString(allAckNanos / 1000), Long.toString(allTypesNanos / 1000),
        Long.toString(cpuNanos / 1000));
  }
}
