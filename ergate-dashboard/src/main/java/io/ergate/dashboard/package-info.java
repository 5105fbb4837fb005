/**
 * The Ergate dashboard: pages of the application's own Spring MVC server, under
 * {@code ergate.dashboard.path} ({@code /ergate}), showing the jobs, the workflows, the throughput and
 * the workers, with cancel, retry and delete for operators. Everything but its auto-configuration and
 * its properties is package-private.
 */
@NullMarked
package io.ergate.dashboard;

import org.jspecify.annotations.NullMarked;
