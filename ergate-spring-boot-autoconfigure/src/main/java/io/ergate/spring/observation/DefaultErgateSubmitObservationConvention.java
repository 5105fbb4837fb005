package io.ergate.spring.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link ErgateSubmitObservationConvention}: observations named {@value #NAME}, with the
 * low-cardinality key {@code workflow} and the high-cardinality key {@code job.id}.
 */
public class DefaultErgateSubmitObservationConvention implements ErgateSubmitObservationConvention {

	/** The observation's name. */
	public static final String NAME = "ergate.submit";

	/** The shared instance. */
	public static final DefaultErgateSubmitObservationConvention INSTANCE = new DefaultErgateSubmitObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ErgateSubmitObservationContext context) {
		return "ergate submit " + context.getWorkflowTag();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ErgateSubmitObservationContext context) {
		return KeyValues.of("workflow", context.getWorkflowTag());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ErgateSubmitObservationContext context) {
		return KeyValues.of("job.id", String.valueOf(context.getJobId()));
	}

}
