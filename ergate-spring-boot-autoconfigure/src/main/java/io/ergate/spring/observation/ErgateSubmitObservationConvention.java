package io.ergate.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for job submissions. Declare a bean of this type to replace
 * {@link DefaultErgateSubmitObservationConvention}.
 */
public interface ErgateSubmitObservationConvention extends ObservationConvention<ErgateSubmitObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ErgateSubmitObservationContext;
	}

}
