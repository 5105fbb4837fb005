package io.ergate.spring;

import io.ergate.Job;
import org.springframework.context.ApplicationEvent;

/**
 * A moment in the life of an Ergate job, published as a Spring application event on the worker
 * thread that runs the job. Listen with {@code @EventListener} to this type or to one of its
 * subclasses: {@link JobStartedEvent}, {@link JobStepCompletedEvent}, {@link JobRetryScheduledEvent},
 * and one of {@link JobFinishedEvent} ({@code COMPLETED}, {@code ABORTED}), {@link JobFailedEvent}
 * ({@code FAILED}) or {@link JobCancelledEvent} ({@code CANCELLED}) when the job ends. The cancel of a
 * job that was not running is published on the thread that cancelled it.
 * <p>
 * Events are published after the state they describe was recorded in the state store. A listener
 * that throws is logged and ignored: it cannot fail the job. A job redelivered by a reliable queue
 * (at-least-once) may cause the same event twice. The events of one job's successive steps may be
 * seen out of order: a step's events are published after its successor was put on the queue, where
 * another worker may already run the next step. The job's {@code steps_completed} and
 * {@code percent_completed} order them.
 */
public abstract class ErgateJobEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an event about a job.
	 * @param job the job's state, also the event's source
	 */
	protected ErgateJobEvent(Job job) {
		super(job);
	}

	/**
	 * Returns the job's state at the time of the event.
	 * @return the job
	 */
	public Job getJob() {
		return (Job) getSource();
	}

}
