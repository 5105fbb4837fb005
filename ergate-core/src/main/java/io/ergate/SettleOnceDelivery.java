package io.ergate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * The base of a queue's {@link JobDelivery}: settles once. Exactly one of hand-over, acknowledge,
 * release, release-later or dead-letter settles a delivery; a second one throws. A hand-over that
 * throws leaves the delivery unsettled, for the engine to give the job back. Subclasses say how each
 * act reaches their broker or database; the names are the same in every queue.
 */
public abstract class SettleOnceDelivery implements JobDelivery {

	private static final VarHandle SETTLED;

	static {
		try {
			SETTLED = MethodHandles.lookup().findVarHandle(SettleOnceDelivery.class, "settled", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Job job;

	@SuppressWarnings("unused") // through SETTLED
	private volatile boolean settled;

	/**
	 * Creates an unsettled delivery.
	 * @param job the delivered job
	 */
	protected SettleOnceDelivery(Job job) {
		this.job = job;
	}

	@Override
	public final Job job() {
		return this.job;
	}

	@Override
	public final void complete(Job newState, StateStore stateStore) {
		settle("complete");
		try {
			handOver(newState, stateStore);
		}
		catch (RuntimeException ex) {
			// nothing was handed over: the delivery stays unsettled, for the engine to release
			this.settled = false;
			throw ex;
		}
	}

	@Override
	public final void acknowledge() {
		settle("acknowledge");
		acknowledged();
	}

	@Override
	public final void release() {
		settle("release");
		released(Duration.ZERO);
	}

	@Override
	public final void releaseLater(Duration delay) {
		settle("release");
		released(delay);
	}

	@Override
	public final boolean deadLetter(String reason) {
		settle("dead-letter");
		if (!deadLettered(reason)) {
			// no dead letters here: the engine records the job FAILED through this delivery instead
			this.settled = false;
			return false;
		}
		return true;
	}

	/**
	 * Records the new state, puts the successor when the job is not final, and removes the delivered
	 * message: what {@link #complete(Job, StateStore)} does once the delivery is settled.
	 * @param newState the job's state after its step
	 * @param stateStore the store to record it in
	 */
	protected abstract void handOver(Job newState, StateStore stateStore);

	/** Removes the delivered message without a successor. */
	protected abstract void acknowledged();

	/**
	 * Gives the job back.
	 * @param delay how long it should wait first; zero: at once
	 */
	protected abstract void released(Duration delay);

	/**
	 * Moves the job to the dead letters; the default has none. When it returns {@code false} the
	 * delivery is unsettled again, for the engine to complete it.
	 * @param reason why the job cannot run
	 * @return whether it was moved
	 */
	protected boolean deadLettered(String reason) {
		return false;
	}

	/**
	 * Settles this delivery without any of the five acts, for a delivery the queue takes back itself
	 * (a claimed job no worker started).
	 * @return {@code false} when it was settled already
	 */
	protected final boolean settleQuietly() {
		return SETTLED.compareAndSet(this, false, true);
	}

	/**
	 * Makes a settled delivery unsettled again, when the act that settled it failed before it reached
	 * the broker or the database.
	 */
	protected final void unsettle() {
		this.settled = false;
	}

	/**
	 * Tells whether this delivery is settled.
	 * @return {@code true} once settled
	 */
	protected final boolean isSettled() {
		return this.settled;
	}

	private void settle(String act) {
		if (!SETTLED.compareAndSet(this, false, true)) {
			throw new IllegalStateException("Cannot " + act + " the delivery of job " + this.job.id() + " (step "
					+ this.job.stepName() + "): it was already completed, acknowledged, released or dead-lettered");
		}
	}

}
