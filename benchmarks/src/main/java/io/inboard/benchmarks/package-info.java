/**
 * Benchmarks run by hand, never by the test phase (STYLE.md: speed is measured here, and results
 * go to {@code BENCHMARKS.md} with the command that reproduces them). Start with {@link
 * io.inboard.benchmarks.PropagationBenchmark}.
 */
package io.inboard.benchmarks;
