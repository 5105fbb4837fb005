package io.ergate.autoconfigure.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.ergate.JobJsonFormat;
import io.ergate.JobQueue;
import io.ergate.StateStore;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.autoconfigure.ErgateProperties;
import io.ergate.spring.health.ErgateHealthDetailsContributor;
import io.ergate.jdbc.JdbcJobQueue;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcStateStore;
import io.ergate.spring.jdbc.ErgateJdbcSchemaInitializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the durable JDBC queue and state store of {@code ergate-jdbc}: when it is
 * on the class path and the application has a {@link DataSource} (Spring Boot's, from
 * {@code spring.datasource.*}, or its own), a {@link JdbcJobQueue} and a {@link JdbcStateStore} on
 * that data source, so that the end of every step commits in one transaction. Runs before
 * {@link ErgateAutoConfiguration}, whose in-memory defaults then back off; a {@link JobQueue} or
 * {@link StateStore} bean of the application wins over these. When RabbitMQ is configured too
 * ({@code ergate-rabbitmq}), its queue is the job queue and this store records the states. The tables
 * are created according to
 * {@code ergate.jdbc.initialize-schema}; the other {@code ergate.jdbc.*} properties are in
 * {@link ErgateJdbcProperties}. With spring-jdbc present (it comes with Spring Boot's JDBC support),
 * jobs submitted inside a Spring transaction on that data source are queued only if it commits.
 */
@AutoConfiguration(before = ErgateAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"io.ergate.autoconfigure.rabbitmq.ErgateRabbitAutoConfiguration" })
@ConditionalOnClass({ JdbcJobQueue.class, DataSource.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "ergate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ErgateJdbcProperties.class)
public final class ErgateJdbcAutoConfiguration {

	ErgateJdbcAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcOptions ergateJdbcOptions(ErgateJdbcProperties properties, ObjectProvider<ErgateProperties> ergateProperties,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<JobJsonFormat> jobJsonFormat) {
		return JdbcOptions.builder()
			.tablePrefix(properties.getTablePrefix())
			.dialect(properties.getDialect())
			.claimBatchSize(properties.getClaimBatchSize())
			.leaseDuration(properties.getLeaseDuration())
			.pollInterval(properties.getPollInterval())
			.listenNotify(properties.isListenNotify())
			.maxDeliveries(properties.getMaxDeliveries())
			.maxPayloadBytes(ergateProperties.getIfAvailable(ErgateProperties::new).maxPayloadBytes())
			.runningStateDelay(properties.getRunningStateDelay())
			.handOverDelay(properties.getHandOverDelay())
			.history(properties.getHistory().isEnabled() ? properties.getHistory().getRetention() : null)
			.jsonMapper(jobJsonFormat.getIfUnique(() -> JobJsonFormat.DEFAULT)
				.applyTo(jsonMapper.getIfUnique(JsonMapper::shared)))
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	ErgateJdbcSchemaInitializer ergateJdbcSchemaInitializer(DataSource dataSource, JdbcOptions options,
			ErgateJdbcProperties properties) {
		return new ErgateJdbcSchemaInitializer(dataSource, options, properties.getInitializeSchema());
	}

	@Bean
	@ConditionalOnMissingBean(name = "ergateJdbcHealthDetails")
	ErgateHealthDetailsContributor ergateJdbcHealthDetails(ObjectProvider<JdbcJobQueue> jdbcJobQueue) {
		return (details) -> {
			JdbcJobQueue queue = jdbcJobQueue.getIfUnique();
			if (queue == null) {
				return;
			}
			Map<String, Object> jdbc = new LinkedHashMap<>();
			jdbc.put("instance", queue.instanceId());
			jdbc.put("rows", queue.depth());
			jdbc.put("leased", queue.leased());
			details.put("jdbc", jdbc);
		};
	}

	@Bean
	@ConditionalOnMissingBean(JobQueue.class)
	JdbcJobQueue ergateJdbcJobQueue(DataSource dataSource, JdbcOptions options,
			ErgateJdbcSchemaInitializer schemaInitializer) {
		return new JdbcJobQueue(dataSource, options);
	}

	@Bean
	@ConditionalOnMissingBean(StateStore.class)
	JdbcStateStore ergateJdbcStateStore(DataSource dataSource, JdbcOptions options,
			ErgateJdbcSchemaInitializer schemaInitializer) {
		return new JdbcStateStore(dataSource, options);
	}

}
