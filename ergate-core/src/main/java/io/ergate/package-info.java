/**
 * Ergate: multi-step workflows run as jobs.
 * <p>
 * A {@link io.ergate.Job} travels through a {@link io.ergate.JobQueue}; any worker takes it, runs
 * one step of its {@link io.ergate.Workflow}, records the job's state in a
 * {@link io.ergate.StateStore} before and after the step, and puts the job back on the queue for the
 * next step until it completes, fails or is aborted. {@link io.ergate.Ergate} is the application
 * that ties these together.
 */
@NullMarked
package io.ergate;

import org.jspecify.annotations.NullMarked;
