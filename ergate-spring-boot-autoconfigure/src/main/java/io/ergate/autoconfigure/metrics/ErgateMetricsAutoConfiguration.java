package io.ergate.autoconfigure.metrics;

import io.ergate.Ergate;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.spring.metrics.ErgateMeterBinder;
import io.ergate.spring.metrics.ErgateMetricsJobListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Micrometer metrics for Ergate, when the context has a {@link MeterRegistry}:
 * the step timer and the jobs counter ({@link ErgateMetricsJobListener}) and the worker and queue
 * gauges ({@link ErgateMeterBinder}, bound by Spring Boot's metrics auto-configuration like every
 * {@code MeterBinder} bean).
 */
@AutoConfiguration(after = ErgateAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ Ergate.class, MeterRegistry.class })
@ConditionalOnBean({ Ergate.class, MeterRegistry.class })
public final class ErgateMetricsAutoConfiguration {

	ErgateMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	ErgateMetricsJobListener ergateMetricsJobListener(MeterRegistry meterRegistry, ObjectProvider<Ergate> ergate) {
		return new ErgateMetricsJobListener(meterRegistry, ergate::getObject);
	}

	@Bean
	@ConditionalOnMissingBean
	ErgateMeterBinder ergateMeterBinder(Ergate ergate) {
		return new ErgateMeterBinder(ergate);
	}

}
