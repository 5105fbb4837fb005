package io.ergate.autoconfigure.health;

import io.ergate.Ergate;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.spring.ErgateWorker;
import io.ergate.spring.health.ErgateHealthDetailsContributor;
import io.ergate.spring.health.ErgateHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code ergate} health indicator, when Spring Boot's health module is
 * present and {@code management.health.ergate.enabled} is not {@code false}.
 */
@AutoConfiguration(after = ErgateAutoConfiguration.class,
		afterName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ Ergate.class, AbstractHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(Ergate.class)
public final class ErgateHealthContributorAutoConfiguration {

	ErgateHealthContributorAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = "ergateHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("ergate")
	ErgateHealthIndicator ergateHealthIndicator(Ergate ergate, ObjectProvider<ErgateWorker> worker,
			ObjectProvider<ErgateHealthDetailsContributor> contributors) {
		return new ErgateHealthIndicator(ergate, worker.getIfUnique(), contributors.orderedStream().toList());
	}

}
