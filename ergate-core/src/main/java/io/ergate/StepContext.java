package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link StepHandler} can ask for while its step runs. Valid only during that step run.
 */
public interface StepContext {

	/**
	 * Returns the job, in its {@link JobStatus#RUNNING} state.
	 * @return the job
	 */
	Job job();

	/**
	 * Returns the step's input converted to a type, as {@link Input} does.
	 * @param <T> the type
	 * @param type the type
	 * @return a copy of the input, or {@code null} when there is none
	 */
	<T> @Nullable T input(Class<T> type);

	/**
	 * Returns the job's user context converted to a type, as {@link Context} does.
	 * @param <T> the type
	 * @param type the type
	 * @return the context, or {@code null} when there is none
	 */
	<T> @Nullable T context(Class<T> type);

	/**
	 * Returns the dependency built by a provider for this step run, as {@link Depends} does: the
	 * provider runs at most once per step run and its value is released after the step.
	 * @param <T> the type of the provided value
	 * @param provider a provider class
	 * @return the provided value
	 */
	<T> T depends(Class<?> provider);

	/**
	 * Tells whether a cancel of the job was requested while this step runs ({@link Ergate#cancel}, on
	 * this node or another: the engine checks the store about once a second). A step that can stop
	 * early may return or throw; when it ends the job becomes {@link JobStatus#CANCELLED} unless the
	 * step ended the job. With interruption on cancel configured the step's thread is also interrupted.
	 * @return {@code true} once a cancel was requested
	 */
	boolean cancelRequested();

}
