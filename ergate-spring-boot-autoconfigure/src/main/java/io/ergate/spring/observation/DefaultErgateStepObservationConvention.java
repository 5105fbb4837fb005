package io.ergate.spring.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link ErgateStepObservationConvention}: observations named {@value #NAME}, with the
 * low-cardinality keys {@code workflow}, {@code step} and {@code outcome} and the high-cardinality key
 * {@code job.id}.
 */
public class DefaultErgateStepObservationConvention implements ErgateStepObservationConvention {

	/** The observation's name. */
	public static final String NAME = "ergate.step.run";

	/** The shared instance. */
	public static final DefaultErgateStepObservationConvention INSTANCE = new DefaultErgateStepObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ErgateStepObservationContext context) {
		return "ergate " + context.getJob().workflowName() + " " + context.getStepName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ErgateStepObservationContext context) {
		String outcome = context.getOutcome();
		return KeyValues.of("workflow", context.getJob().workflowName(), "step", context.getStepName(), "outcome",
				(outcome != null) ? outcome : "unknown");
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ErgateStepObservationContext context) {
		return KeyValues.of("job.id", String.valueOf(context.getJob().id()));
	}

}
