/**
 * Benchmarks of the Ergate engine: an end-to-end harness ({@link io.ergate.benchmarks.BenchMain})
 * and JMH micro-benchmarks. Run them with {@code bench/run.sh}.
 */
@NullMarked
package io.ergate.benchmarks;

import org.jspecify.annotations.NullMarked;
