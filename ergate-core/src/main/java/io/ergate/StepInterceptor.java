package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * Wraps every step run, on the worker thread, for tracing, logging context or timing. An interceptor
 * must call {@link StepInvocation#proceed()} exactly once and return (or rethrow) what it gives.
 */
@FunctionalInterface
public interface StepInterceptor {

	/**
	 * Runs around one step.
	 * @param job the running job
	 * @param stepName the step about to run
	 * @param invocation the rest of the chain, ending in the step
	 * @return what {@code invocation.proceed()} returned
	 * @throws Exception what {@code invocation.proceed()} threw
	 */
	@Nullable Object intercept(Job job, String stepName, StepInvocation invocation) throws Exception;

	/**
	 * The rest of an interceptor chain.
	 */
	@FunctionalInterface
	interface StepInvocation {

		/**
		 * Runs the rest of the chain and the step.
		 * @return the step's return value
		 * @throws Exception the step's exception, including {@link FlowControl}
		 */
		@Nullable Object proceed() throws Exception;

	}

}
