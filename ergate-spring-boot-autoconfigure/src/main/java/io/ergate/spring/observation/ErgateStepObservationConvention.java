package io.ergate.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for step runs. Declare a bean of this type to replace
 * {@link DefaultErgateStepObservationConvention}.
 */
public interface ErgateStepObservationConvention extends ObservationConvention<ErgateStepObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ErgateStepObservationContext;
	}

}
