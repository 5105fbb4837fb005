package io.ergate.spring;

import io.ergate.Job;

/**
 * Wraps every submission made through an {@link ErgateClient}, for tracing or auditing: it may
 * change the job before it is submitted (add {@link Job#metadata() metadata}, for example a trace
 * context) and observe the outcome. An interceptor must call {@link JobSubmission#submit(Job)}
 * exactly once and return (or rethrow) what it gives.
 * <p>
 * The auto-configuration applies every bean of this type, in {@code @Order}, to the
 * {@link ErgateClient}; the first is the outermost.
 */
@FunctionalInterface
public interface JobSubmissionInterceptor {

	/**
	 * Runs around the submission of one new job.
	 * @param job the job about to be submitted, without its generated id
	 * @param submission the rest of the chain, ending in the engine's submit
	 * @return what {@code submission.submit(...)} returned: the job as submitted, with its id
	 */
	Job intercept(Job job, JobSubmission submission);

	/**
	 * The rest of an interceptor chain.
	 */
	@FunctionalInterface
	interface JobSubmission {

		/**
		 * Submits the job through the rest of the chain.
		 * @param job the job to submit
		 * @return the job as submitted, with its id
		 */
		Job submit(Job job);

	}

}
