package io.ergate.autoconfigure.rabbitmq;

import io.ergate.rabbitmq.RabbitJobQueue;
import io.ergate.spring.rabbitmq.ErgateRabbitHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code ergateRabbit} health indicator, when Spring Boot's health support
 * is on the classpath and the context has a {@link RabbitJobQueue}; off with
 * {@code management.health.ergate-rabbitmq.enabled=false}.
 */
@AutoConfiguration(after = ErgateRabbitAutoConfiguration.class)
@ConditionalOnClass({ RabbitJobQueue.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(RabbitJobQueue.class)
@ConditionalOnEnabledHealthIndicator("ergate-rabbitmq")
public final class ErgateRabbitHealthContributorAutoConfiguration {

	ErgateRabbitHealthContributorAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = "ergateRabbitHealthIndicator")
	ErgateRabbitHealthIndicator ergateRabbitHealthIndicator(RabbitJobQueue queue) {
		return new ErgateRabbitHealthIndicator(queue);
	}

}
