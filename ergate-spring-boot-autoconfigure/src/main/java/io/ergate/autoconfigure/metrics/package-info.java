/**
 * Micrometer metrics for Ergate: the {@code ergate.step} timer, the {@code ergate.jobs} counter and
 * the worker and queue gauges.
 */
@NullMarked
package io.ergate.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
