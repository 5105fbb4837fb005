package io.ergate.autoconfigure.observation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.ergate.AbortJob;
import io.ergate.GoToEnd;
import io.ergate.GoToStep;
import io.ergate.Job;
import io.ergate.StepInterceptor;
import io.ergate.Workflow;
import io.ergate.WorkflowStep;
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

	private final Function<String, Optional<Workflow>> workflows;

	private int order = DEFAULT_ORDER;

	/**
	 * Creates an interceptor.
	 * @param registry where observations go
	 * @param convention replaces the default convention, or {@code null}
	 * @param workflows finds a registered workflow by name, to tell a valid jump from one the engine
	 * fails
	 */
	public ObservationStepInterceptor(ObservationRegistry registry,
			@Nullable ErgateStepObservationConvention convention, Function<String, Optional<Workflow>> workflows) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.convention = convention;
		this.workflows = Objects.requireNonNull(workflows, "workflows");
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
			context.setOutcome("next");
			return value;
		}
		catch (GoToStep ex) {
			if (jumpsForward(context.getJob(), stepName, ex.stepName())) {
				context.setOutcome("goto");
			}
			else {
				context.setOutcome("failed");
				observation.error(new IllegalStateException("Step \"" + stepName + "\" threw GoToStep(\""
						+ ex.stepName() + "\"), which is not a later step of workflow \"" + job.workflowName() + "\""));
			}
			throw ex;
		}
		catch (GoToEnd ex) {
			context.setOutcome("end");
			throw ex;
		}
		catch (AbortJob ex) {
			context.setOutcome("abort");
			throw ex;
		}
		catch (Throwable ex) {
			context.setOutcome("failed");
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private boolean jumpsForward(Job job, String from, String to) {
		Optional<Workflow> workflow = this.workflows.apply(job.workflowName());
		if (workflow.isEmpty()) {
			return true;
		}
		List<String> names = workflow.get().steps().stream().map(WorkflowStep::name).toList();
		return names.indexOf(to) > names.indexOf(from);
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
