package io.ergate.spring.observation;

import java.util.Objects;

import io.ergate.AbortJob;
import io.ergate.GoToEnd;
import io.ergate.GoToStep;
import io.ergate.Job;
import io.ergate.StepInterceptor;
import io.ergate.StepOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;

/**
 * Observes every step run: starts an observation (in scope on the worker thread while the step runs)
 * whose {@link ErgateStepObservationContext} reads the trace context from the job's metadata, tags it
 * with the step's outcome and records the step's exception as its error. Flow control
 * ({@link GoToStep}, {@link GoToEnd}, {@link AbortJob}) is an outcome, not an error, except a jump to
 * a step that is not after the current one, which fails the job: its outcome is {@code failed}, as in
 * the {@code ergate.step} timer.
 */
public class ObservationStepInterceptor implements StepInterceptor, Ordered {

	/** The default order: outermost, so that other interceptors run inside the observation. */
	public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

	private final ObservationRegistry registry;

	private final @Nullable ErgateStepObservationConvention convention;

	private int order = DEFAULT_ORDER;

	/**
	 * Creates an interceptor.
	 * @param registry where observations go
	 * @param convention replaces the default convention, or {@code null}
	 */
	public ObservationStepInterceptor(ObservationRegistry registry,
			@Nullable ErgateStepObservationConvention convention) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.convention = convention;
	}

	@Override
	@SuppressWarnings("try") // the scope makes the observation current while the step runs
	public @Nullable Object intercept(Job job, String stepName, StepInvocation invocation) throws Exception {
		ErgateStepObservationContext context = new ErgateStepObservationContext(job, stepName);
		Observation observation = Observation.createNotStarted(this.convention,
				DefaultErgateStepObservationConvention.INSTANCE, () -> context, this.registry);
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			Object value = invocation.proceed();
			context.setOutcome(StepOutcome.NEXT.tag());
			return value;
		}
		catch (Throwable ex) {
			// the engine turns a jump to no later step into a failure before it gets here
			StepOutcome outcome = StepOutcome.of(ex);
			context.setOutcome(outcome.tag());
			if (outcome == StepOutcome.FAILED) {
				observation.error(ex);
			}
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	/**
	 * Sets the order among the engine's interceptors.
	 * @param order default {@link #DEFAULT_ORDER}
	 */
	public void setOrder(int order) {
		this.order = order;
	}

}
