package io.ergate.autoconfigure.observation;

import io.ergate.Ergate;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.spring.observation.ErgateStepObservationConvention;
import io.ergate.spring.observation.ErgateSubmitObservationConvention;
import io.ergate.spring.observation.ObservationJobSubmissionInterceptor;
import io.ergate.spring.observation.ObservationStepInterceptor;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Micrometer observations for Ergate, when the context has an
 * {@link ObservationRegistry} (Spring Boot's, with tracing when it is configured): an
 * {@link ObservationStepInterceptor} observing each step run and an
 * {@link ObservationJobSubmissionInterceptor} observing each submission and carrying the trace
 * context in the job's metadata.
 */
@AutoConfiguration(after = ErgateAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ Ergate.class, ObservationRegistry.class })
@ConditionalOnBean({ Ergate.class, ObservationRegistry.class })
public final class ErgateObservationAutoConfiguration {

	ErgateObservationAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	ObservationStepInterceptor ergateObservationStepInterceptor(ObservationRegistry observationRegistry,
			ObjectProvider<ErgateStepObservationConvention> convention) {
		return new ObservationStepInterceptor(observationRegistry, convention.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	ObservationJobSubmissionInterceptor ergateObservationJobSubmissionInterceptor(
			ObservationRegistry observationRegistry, Ergate ergate,
			ObjectProvider<ErgateSubmitObservationConvention> convention) {
		return new ObservationJobSubmissionInterceptor(observationRegistry, ergate, convention.getIfAvailable());
	}

}
