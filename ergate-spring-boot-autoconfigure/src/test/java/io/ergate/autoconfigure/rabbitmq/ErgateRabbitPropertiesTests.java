package io.ergate.autoconfigure.rabbitmq;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.rabbitmq.client.ConnectionFactory;
import io.ergate.rabbitmq.RabbitJobQueue;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults of {@link ErgateRabbitProperties} are the {@link RabbitJobQueue.Builder}'s: bound from
 * nothing, each property has the value the builder starts with, and the configuration metadata
 * documents that value.
 */
class ErgateRabbitPropertiesTests {

	/** Each property with a default of its own, and the builder field it sets. */
	private static final Map<String, String> BUILDER_FIELDS = builderFields();

	private static Map<String, String> builderFields() {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("queue", "queue");
		fields.put("queue-type", "queueType");
		fields.put("consumers", "consumers");
		fields.put("declare", "declare");
		fields.put("max-deliveries", "maxDeliveries");
		fields.put("confirm-timeout", "confirmTimeout");
		fields.put("recovery-initial-interval", "recoveryInitial");
		fields.put("recovery-max-interval", "recoveryMax");
		return fields;
	}

	@Test
	void boundFromNothingEachPropertyHasTheBuildersDefault() throws Exception {
		ErgateRabbitProperties properties = new Binder(new MapConfigurationPropertySource())
			.bindOrCreate("ergate.rabbitmq", ErgateRabbitProperties.class);
		Map<String, Object> bound = new LinkedHashMap<>();
		bound.put("queue", properties.getQueue());
		bound.put("queue-type", properties.getQueueType());
		bound.put("consumers", properties.getConsumers());
		bound.put("declare", properties.isDeclare());
		bound.put("max-deliveries", properties.getMaxDeliveries());
		bound.put("confirm-timeout", properties.getConfirmTimeout());
		bound.put("recovery-initial-interval", properties.getRecoveryInitialInterval());
		bound.put("recovery-max-interval", properties.getRecoveryMaxInterval());
		assertThat(bound).containsOnlyKeys(BUILDER_FIELDS.keySet());
		RabbitJobQueue.Builder builder = RabbitJobQueue.builder(new ConnectionFactory());
		BUILDER_FIELDS.forEach((property, field) -> assertThat(bound.get(property))
			.as("default of ergate.rabbitmq.%s", property)
			.isEqualTo(builderValue(builder, field)));
		// these default to another setting, as the builder's do
		assertThat(properties.getDeadLetterQueue()).isNull();
		assertThat(builderValue(builder, "deadLetterQueue")).isNull();
		assertThat(properties.getPrefetch()).isNull();
		assertThat(builderValue(builder, "prefetch")).as("prefetch unset: the concurrency").isEqualTo(0);
	}

	@Test
	@SuppressWarnings("unchecked")
	void theMetadataDocumentsTheBuildersDefaults() throws Exception {
		Map<String, Object> metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			metadata = JsonMapper.shared().readValue(in, Map.class);
		}
		Map<String, Object> documented = new LinkedHashMap<>();
		for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
			documented.put((String) property.get("name"), property.get("defaultValue"));
		}
		RabbitJobQueue.Builder builder = RabbitJobQueue.builder(new ConnectionFactory());
		BUILDER_FIELDS.forEach((property, field) -> assertThat(documented.get("ergate.rabbitmq." + property))
			.as("documented default of ergate.rabbitmq.%s", property)
			.isEqualTo(asMetadata(builderValue(builder, field))));
	}

	private static Object builderValue(RabbitJobQueue.Builder builder, String name) {
		try {
			Field field = RabbitJobQueue.Builder.class.getDeclaredField(name);
			field.setAccessible(true);
			return field.get(builder);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("RabbitJobQueue.Builder has no field " + name, ex);
		}
	}

	/** A value as the configuration metadata writes it: 30s, 500ms, classic. */
	private static Object asMetadata(Object value) {
		if (value instanceof Duration duration) {
			return (duration.toMillis() % 1000 == 0) ? (duration.toSeconds() + "s") : (duration.toMillis() + "ms");
		}
		if (value instanceof Enum<?> constant) {
			return constant.name().toLowerCase(Locale.ROOT);
		}
		return value;
	}

}
