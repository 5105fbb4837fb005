package io.ergate;

import java.util.Optional;

/**
 * A {@link StateStore} that refuses a state the job has already moved past, so that a step delivered
 * twice does not fork its job. Queues whose brokers cannot write the state and the successor in one
 * transaction (RabbitMQ, or a JDBC queue with a store on another database) can deliver a step again
 * after its successor was put: its worker died between the put and the acknowledgement. The engine
 * then uses these writes instead of {@link #update(Job)}: the repeated step's run is dropped and its
 * delivery acknowledged, so no later step of the job runs twice.
 * <p>
 * Both writes must be atomic with each other for one job (a compare-and-set on the job's recorded
 * {@code steps_completed} and status).
 */
public interface FencingStateStore extends StateStore {

	/**
	 * Records that a delivered job is about to run its step, unless another delivery has the step
	 * already: refused when the recorded state has more steps completed than {@code running}, is final,
	 * or is {@link JobStatus#RUNNING} at the same step while this delivery is a first one (a copy of a
	 * message, not a delivery given again after its worker died).
	 * @param running the job in status {@link JobStatus#RUNNING}
	 * @param redelivered whether the queue delivered this job before (its earlier worker died, or gave
	 * it back)
	 * @return {@code true} when recorded and the step may run; {@code false} when refused
	 */
	boolean claim(Job running, boolean redelivered);

	/**
	 * Records the state a step led to, unless the store has moved past the step: refused when the
	 * recorded state has more than {@code fromStepsCompleted} steps completed, or is final.
	 * @param newState the job's state after its step
	 * @param fromStepsCompleted the {@code steps_completed} of the job when the step started
	 * @return {@code true} when recorded; {@code false} when refused (another delivery of this step
	 * handed it over first)
	 */
	boolean handOver(Job newState, int fromStepsCompleted);

	/**
	 * Returns the recorded state of a job.
	 * @param id the job's id
	 * @return the job, if recorded
	 */
	Optional<Job> findById(Object id);

	/**
	 * Whether a recorded state lets a claim of {@code running} through: the rule of
	 * {@link #claim(Job, boolean)}, for implementations that compare in Java.
	 * @param recorded the recorded state, or {@code null} when none
	 * @param running the job about to run
	 * @param redelivered whether the delivery is a repeated one
	 * @return whether the claim is allowed
	 */
	static boolean allowsClaim(Job recorded, Job running, boolean redelivered) {
		if (recorded.status().isFinal() || recorded.stepsCompleted() > running.stepsCompleted()) {
			return false;
		}
		return recorded.stepsCompleted() < running.stepsCompleted() || recorded.status() != JobStatus.RUNNING
				|| redelivered;
	}

	/**
	 * Whether a recorded state lets a hand-over through: the rule of {@link #handOver(Job, int)}.
	 * @param recorded the recorded state
	 * @param fromStepsCompleted the steps completed when the step started
	 * @return whether the hand-over is allowed
	 */
	static boolean allowsHandOver(Job recorded, int fromStepsCompleted) {
		return !recorded.status().isFinal() && recorded.stepsCompleted() <= fromStepsCompleted;
	}

}
