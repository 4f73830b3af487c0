/**
 * Issue 14's footprint benchmark, driven by {@code benchmarks/run-footprint.sh}: the heap and
 * threads the library adds with 10, 100 and 1000 services watched ({@link
 * io.inboard.benchmarks.footprint.FootprintProbe} against a {@link
 * io.inboard.benchmarks.footprint.FootprintPlane} in another JVM), the time from JVM start to the
 * first routed call, and the bytes allocated per call against direct ({@link
 * io.inboard.benchmarks.footprint.AllocationProbe}). {@link
 * io.inboard.benchmarks.footprint.FootprintReport} writes the summary.
 */
package io.inboard.benchmarks.footprint;
