package io.ergate.autoconfigure.rabbitmq;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ergate.JobJsonFormat;
import io.ergate.JobQueue;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.autoconfigure.ErgateProperties;
import io.ergate.spring.health.ErgateHealthDetailsContributor;
import io.ergate.rabbitmq.RabbitJobQueue;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of a {@link RabbitJobQueue} as Ergate's {@link JobQueue}, when
 * {@code ergate-rabbitmq} and Spring Boot's RabbitMQ support ({@code spring-boot-amqp}, as brought by
 * {@code spring-boot-starter-amqp}) are on the classpath and a RabbitMQ connection is configured:
 * {@code spring.rabbitmq.host}, {@code spring.rabbitmq.addresses} or {@code spring.rabbitmq.port} set,
 * a service connection, a Spring AMQP connection factory of the application's own, or
 * {@code ergate.rabbitmq.enabled=true}.
 * <p>
 * The connection is Spring Boot's: the RabbitMQ client connection factory of the context's Spring AMQP
 * {@link ConnectionFactory} (configured from {@code spring.rabbitmq.*}, SSL bundles and
 * {@link ConnectionFactoryCustomizer}s included) when there is one, else one configured from
 * {@code spring.rabbitmq.*} the way Spring Boot does. The queue itself is configured by
 * {@link ErgateRabbitProperties} ({@code ergate.rabbitmq.*}), its prefetch defaults to
 * {@code ergate.worker.concurrency}, and {@link ErgateRabbitJobQueueCustomizer} beans may change the
 * rest. A {@link JobQueue} bean of the application's own makes it back off; so does
 * {@code ergate.rabbitmq.enabled=false}. The queue connects and declares its queues when the context
 * starts, so that a wrong address or queue fails the startup.
 */
@AutoConfiguration(before = ErgateAutoConfiguration.class,
		afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass({ RabbitJobQueue.class, RabbitProperties.class, RabbitConnectionFactoryBean.class })
@ConditionalOnBooleanProperty(name = "ergate.enabled", matchIfMissing = true)
@Conditional(RabbitConnectionConfiguredCondition.class)
@EnableConfigurationProperties({ ErgateRabbitProperties.class, RabbitProperties.class })
public final class ErgateRabbitAutoConfiguration {

	ErgateRabbitAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = "ergateRabbitHealthDetails")
	ErgateHealthDetailsContributor ergateRabbitHealthDetails(ObjectProvider<RabbitJobQueue> rabbitJobQueue) {
		return (details) -> {
			RabbitJobQueue queue = rabbitJobQueue.getIfUnique();
			if (queue == null) {
				return;
			}
			Map<String, Object> rabbit = new LinkedHashMap<>();
			rabbit.put("connection", queue.connectionState().name());
			rabbit.put("queue", queue.queueName());
			rabbit.put("queueType", queue.queueType().name());
			rabbit.put("deadLettered", queue.deadLettered());
			rabbit.put("redeliveries", queue.redeliveries());
			details.put("rabbitmq", rabbit);
		};
	}

	@Bean
	@ConditionalOnMissingBean(JobQueue.class)
	RabbitJobQueue ergateRabbitJobQueue(ErgateRabbitProperties properties, ObjectProvider<ErgateProperties> ergateProperties,
			ObjectProvider<ConnectionFactory> springConnectionFactory, RabbitProperties rabbitProperties,
			ObjectProvider<RabbitConnectionFactoryBeanConfigurer> configurer,
			ObjectProvider<RabbitConnectionDetails> connectionDetails, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<ConnectionFactoryCustomizer> connectionFactoryCustomizers, ResourceLoader resourceLoader,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<JobJsonFormat> jobJsonFormat,
			ObjectProvider<ErgateRabbitJobQueueCustomizer> customizers)
			throws Exception {
		com.rabbitmq.client.ConnectionFactory connectionFactory = rabbitConnectionFactory(springConnectionFactory,
				rabbitProperties, configurer, connectionDetails, sslBundles, connectionFactoryCustomizers, resourceLoader);
		ErgateProperties ergate = ergateProperties.getIfAvailable(ErgateProperties::new);
		int concurrency = ergate.getWorker().getConcurrency();
		RabbitJobQueue.Builder builder = RabbitJobQueue.builder(connectionFactory)
			.queue(properties.getQueue())
			.queueType(properties.getQueueType())
			.deadLetterQueue(properties.getDeadLetterQueue())
			.declare(properties.isDeclare())
			.concurrency(Math.max(1, concurrency))
			.consumers(properties.getConsumers())
			.maxDeliveries(properties.getMaxDeliveries())
			.maxPayloadBytes(ergate.maxPayloadBytes())
			.confirmTimeout(properties.getConfirmTimeout())
			.recoveryBackoff(properties.getRecoveryInitialInterval(), properties.getRecoveryMaxInterval())
			.jsonMapper(jobJsonFormat.getIfUnique(() -> JobJsonFormat.DEFAULT)
				.applyTo(jsonMapper.getIfUnique(JsonMapper::shared)));
		if (properties.getPrefetch() != null) {
			builder.prefetch(properties.getPrefetch());
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	/**
	 * The client connection factory that Spring Boot configured, or one configured the same way.
	 */
	private static com.rabbitmq.client.ConnectionFactory rabbitConnectionFactory(
			ObjectProvider<ConnectionFactory> springConnectionFactory, RabbitProperties rabbitProperties,
			ObjectProvider<RabbitConnectionFactoryBeanConfigurer> configurer,
			ObjectProvider<RabbitConnectionDetails> connectionDetails, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<ConnectionFactoryCustomizer> connectionFactoryCustomizers, ResourceLoader resourceLoader)
			throws Exception {
		ConnectionFactory spring = springConnectionFactory.getIfUnique();
		if (spring instanceof AbstractConnectionFactory abstractFactory) {
			// copied by RabbitJobQueue, which switches automatic recovery on in its copy
			return abstractFactory.getRabbitConnectionFactory();
		}
		RabbitConnectionFactoryBeanConfigurer factoryConfigurer = configurer.getIfAvailable(() -> {
			RabbitConnectionDetails details = connectionDetails.getIfAvailable();
			return (details != null)
					? new RabbitConnectionFactoryBeanConfigurer(resourceLoader, rabbitProperties, details,
							sslBundles.getIfAvailable())
					: new RabbitConnectionFactoryBeanConfigurer(resourceLoader, rabbitProperties);
		});
		RabbitConnectionFactoryBean factoryBean = new RabbitConnectionFactoryBean();
		factoryConfigurer.configure(factoryBean);
		factoryBean.afterPropertiesSet();
		com.rabbitmq.client.ConnectionFactory connectionFactory = factoryBean.getObject();
		connectionFactoryCustomizers.orderedStream().forEach((customizer) -> customizer.customize(connectionFactory));
		return connectionFactory;
	}

}
