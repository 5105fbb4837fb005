package io.ergate;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * A {@link StateStore} that refuses a state the job has already moved past, so that a step delivered
 * twice does not fork its job. Queues whose brokers cannot write the state and the successor in one
 * transaction (RabbitMQ, or a JDBC queue with a store on another database) can deliver a step again
 * after its successor was put: its worker died between the put and the acknowledgement. The engine
 * then uses these writes instead of {@link #update(Job)}: the repeated step's run is dropped and its
 * delivery acknowledged, so no later step of the job runs twice.
 * <p>
 * Implementations provide one atomic primitive, {@link #updateIf(Job, Predicate)} (a compare-and-set
 * on the job's recorded state); the two fenced writes and their rules are written here, once.
 */
public interface FencingStateStore extends StateStore {

	/**
	 * Records that a delivered job is about to run its step, unless another delivery has the step
	 * already or the job was cancelled: refused when the recorded state has more steps completed than
	 * {@code running} (or as many, at a later {@linkplain Job#attempt() attempt}), is final or
	 * {@link JobStatus#CANCELLING}, or is {@link JobStatus#RUNNING} at the same step while this delivery
	 * is a first one (a copy of a message, not a delivery given again after its worker died).
	 * @param running the job in status {@link JobStatus#RUNNING}
	 * @param redelivered whether the queue delivered this job before (its earlier worker died, or gave
	 * it back)
	 * @return {@code true} when recorded and the step may run; {@code false} when refused
	 */
	default boolean claim(Job running, boolean redelivered) {
		return updateIf(running, (recorded) -> allowsClaim(recorded, running, redelivered));
	}

	/**
	 * Records the state a step led to, unless the store has moved past the step: refused when the
	 * recorded state has more than {@code fromStepsCompleted} steps completed, or is final.
	 * @param newState the job's state after its step
	 * @param fromStepsCompleted the {@code steps_completed} of the job when the step started
	 * @return {@code true} when recorded; {@code false} when refused (another delivery of this step
	 * handed it over first)
	 */
	default boolean handOver(Job newState, int fromStepsCompleted) {
		return handOver(newState, fromStepsCompleted, 0);
	}

	/**
	 * Records the state a step led to, unless the store has moved past the step or the job is being
	 * cancelled: refused when the recorded state has more than {@code fromStepsCompleted} steps
	 * completed (or as many, at a later attempt than {@code fromAttempt}), is final, or is
	 * {@link JobStatus#CANCELLING} while the new state is not final (the engine then records the job
	 * {@link JobStatus#CANCELLED}).
	 * @param newState the job's state after its step
	 * @param fromStepsCompleted the {@code steps_completed} of the job when the step started
	 * @param fromAttempt the {@linkplain Job#attempt() attempt} the step ran as; 0 not to compare attempts
	 * @return {@code true} when recorded; {@code false} when refused
	 */
	default boolean handOver(Job newState, int fromStepsCompleted, int fromAttempt) {
		return updateIf(newState, (recorded) -> allowsHandOver(recorded, newState, fromStepsCompleted, fromAttempt));
	}

	/**
	 * Records a job's state unless its recorded state is refused by the test, atomically: no other
	 * write of the job comes between the test and the write. A job with no recorded state is written.
	 * @param job the new state
	 * @param recordedAllows tells from the recorded state whether the new one may be written
	 * @return {@code true} when written
	 */
	boolean updateIf(Job job, Predicate<Job> recordedAllows);

	/**
	 * Returns the recorded state of a job.
	 * @param id the job's id
	 * @return the job, if recorded
	 */
	Optional<Job> findById(Object id);

	/** The rule of {@link #claim(Job, boolean)}. */
	private static boolean allowsClaim(Job recorded, Job running, boolean redelivered) {
		if (recorded.status().isFinal() || recorded.status() == JobStatus.CANCELLING
				|| recorded.stepsCompleted() > running.stepsCompleted()) {
			return false;
		}
		if (recorded.stepsCompleted() == running.stepsCompleted() && recorded.attempt() > running.attempt()) {
			return false;
		}
		return recorded.stepsCompleted() < running.stepsCompleted() || recorded.status() != JobStatus.RUNNING
				|| redelivered;
	}

	/** The rule of {@link #handOver(Job, int, int)}. */
	private static boolean allowsHandOver(Job recorded, Job newState, int fromStepsCompleted, int fromAttempt) {
		if (recorded.status().isFinal() || recorded.stepsCompleted() > fromStepsCompleted
				|| (recorded.status() == JobStatus.CANCELLING && !newState.status().isFinal())) {
			return false;
		}
		return fromAttempt == 0 || recorded.stepsCompleted() < fromStepsCompleted || recorded.attempt() <= fromAttempt;
	}

}
