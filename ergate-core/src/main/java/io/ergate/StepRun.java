package io.ergate;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one step run: the job, and the dependencies built for it, released when it closes.
 */
final class StepRun implements StepContext, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(StepRun.class);

	private final Job job;

	private final String stepName;

	private final StepBinder binder;

	private @Nullable List<ProviderBinding> providers;

	private @Nullable List<@Nullable Object> values;

	/** The thread running the step, for the {@link StepWatch}. */
	final Thread thread = Thread.currentThread();

	final long startedNanos = System.nanoTime();

	/** Set when a cancel of the job was requested while the step runs. */
	volatile boolean cancelRequested;

	/** Set when the step's timeout passed and its thread was interrupted. */
	volatile boolean timedOut;

	/** Set when the step kept running after its interrupt, and was reported. */
	volatile boolean stuck;

	/** RUNNING until the step ends; only a running step's thread is interrupted (see {@link #interrupt()}). */
	private int interruptState;

	StepRun(Job job, String stepName, StepBinder binder) {
		this.job = job;
		this.stepName = stepName;
		this.binder = binder;
	}

	@Override
	public boolean cancelRequested() {
		return this.cancelRequested;
	}

	/** Interrupts the step's thread unless the step has ended: never the next job's. */
	synchronized boolean interrupt() {
		if (this.interruptState != 0) {
			return false;
		}
		this.thread.interrupt();
		return true;
	}

	/**
	 * Called by the step's thread when the step has ended: no interrupt comes after it, and one that
	 * came is cleared, so that it does not reach the queue or the store.
	 */
	void ended(boolean interruptible) {
		if (interruptible) {
			synchronized (this) {
				this.interruptState = 1;
			}
			Thread.interrupted();
		}
	}

	@Override
	public Job job() {
		return this.job;
	}

	String stepName() {
		return this.stepName;
	}

	@Nullable Object rawInput() {
		return (this.job.stepsCompleted() == 0) ? this.job.initialInputValue() : this.job.lastReturnValue();
	}

	@Override
	public <T> @Nullable T input(Class<T> type) {
		return type.cast(this.binder.converter().convert(rawInput(), this.binder.converter().type(type),
				"The input of step \"" + this.stepName + "\""));
	}

	@Override
	public <T> @Nullable T context(Class<T> type) {
		return type.cast(this.binder.converter().convert(this.job.userContext(), this.binder.converter().type(type),
				"The user_context of step \"" + this.stepName + "\""));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T depends(Class<?> provider) {
		try {
			return (T) dependency(this.binder.provider(provider));
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Provider " + provider.getName() + " failed: " + ex.getMessage(), ex);
		}
	}

	@Nullable Object dependency(ProviderBinding provider) throws Exception {
		if (this.providers != null) {
			for (int i = 0; i < this.providers.size(); i++) {
				if (this.providers.get(i) == provider) {
					return this.values.get(i);
				}
			}
		}
		Object value = provider.provide(this);
		if (this.providers == null) {
			this.providers = new ArrayList<>(4);
			this.values = new ArrayList<>(4);
		}
		this.providers.add(provider);
		this.values.add(value);
		return value;
	}

	@Override
	public void close() {
		if (this.providers == null) {
			return;
		}
		for (int i = this.providers.size() - 1; i >= 0; i--) {
			ProviderBinding provider = this.providers.get(i);
			try {
				provider.release(this.values.get(i));
			}
			catch (Exception ex) {
				logger.warn("Releasing the value of {} after step \"{}\" of job {} failed", provider.type().getName(),
						this.stepName, this.job.id(), ex);
			}
		}
	}

}
