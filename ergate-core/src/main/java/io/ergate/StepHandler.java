package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * A step written as a lambda that reads what it needs from a {@link StepContext}: input, user
 * context, dependencies and the job.
 * <pre>{@code
 * .step("greet", step -> {
 *     Settings settings = step.context(Settings.class);
 *     Mailer mailer = step.depends(MailerProvider.class);
 *     return mailer.send(settings.recipient(), step.input(String.class));
 * })
 * }</pre>
 */
@FunctionalInterface
public interface StepHandler {

	/**
	 * Runs the step.
	 * @param step the step run's input, context, dependencies and job
	 * @return the value passed to the next step
	 * @throws Exception any failure: the job fails with its stack trace, unless it is a
	 * {@link FlowControl}
	 */
	@Nullable Object handle(StepContext step) throws Exception;

}
