package io.ergate.autoconfigure.rabbitmq;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application configured a RabbitMQ connection for Ergate: {@code ergate.rabbitmq.enabled}
 * is true, or it is not set and {@code spring.rabbitmq.host}, {@code spring.rabbitmq.addresses} or
 * {@code spring.rabbitmq.port} is, or the context has RabbitMQ connection details of its own (a
 * service connection) or a Spring AMQP connection factory of its own. Having Spring Boot's RabbitMQ
 * support on the classpath alone is not enough: jobs would otherwise silently go to localhost.
 */
final class RabbitConnectionConfiguredCondition extends SpringBootCondition implements ConfigurationCondition {

	private static final String[] CONNECTION_PROPERTIES = { "spring.rabbitmq.host", "spring.rabbitmq.addresses",
			"spring.rabbitmq.port" };

	private static final String PROPERTIES_CONNECTION_DETAILS = "org.springframework.boot.amqp.autoconfigure.PropertiesRabbitConnectionDetails";

	private static final String CONNECTION_DETAILS = "org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails";

	private static final String SPRING_CONNECTION_FACTORY = "org.springframework.amqp.rabbit.connection.ConnectionFactory";

	/** The name of the bean of Spring Boot's RabbitAutoConfiguration that reads spring.rabbitmq.*. */
	private static final String BOOT_CONNECTION_DETAILS_BEAN = "rabbitConnectionDetails";

	/** The name of the connection factory bean of Spring Boot's RabbitAutoConfiguration. */
	private static final String BOOT_CONNECTION_FACTORY_BEAN = "rabbitConnectionFactory";

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String enabled = environment.getProperty("ergate.rabbitmq.enabled");
		if (enabled != null && !enabled.isBlank()) {
			return Boolean.parseBoolean(enabled.trim()) ? ConditionOutcome.match("ergate.rabbitmq.enabled is true")
					: ConditionOutcome.noMatch("ergate.rabbitmq.enabled is false");
		}
		for (String property : CONNECTION_PROPERTIES) {
			if (environment.containsProperty(property)) {
				return ConditionOutcome.match(property + " is set");
			}
		}
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		ClassLoader classLoader = context.getClassLoader();
		if (beanFactory != null && classLoader != null) {
			for (String name : beanNames(beanFactory, CONNECTION_DETAILS, classLoader)) {
				Class<?> type = beanFactory.getType(name, false);
				boolean fromProperties = name.equals(BOOT_CONNECTION_DETAILS_BEAN)
						|| (type != null && type.getName().equals(PROPERTIES_CONNECTION_DETAILS));
				if (!fromProperties) {
					return ConditionOutcome.match("RabbitMQ connection details bean '" + name + "'");
				}
			}
			for (String name : beanNames(beanFactory, SPRING_CONNECTION_FACTORY, classLoader)) {
				if (!name.equals(BOOT_CONNECTION_FACTORY_BEAN)) {
					return ConditionOutcome.match("Spring AMQP connection factory bean '" + name + "'");
				}
			}
		}
		return ConditionOutcome.noMatch("no RabbitMQ connection is configured: set spring.rabbitmq.host or "
				+ "spring.rabbitmq.addresses, or ergate.rabbitmq.enabled=true to use Spring Boot's defaults");
	}

	private static String[] beanNames(ConfigurableListableBeanFactory beanFactory, String typeName,
			ClassLoader classLoader) {
		try {
			Class<?> type = Class.forName(typeName, false, classLoader);
			return beanFactory.getBeanNamesForType(type, true, false);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return new String[0];
		}
	}

}
