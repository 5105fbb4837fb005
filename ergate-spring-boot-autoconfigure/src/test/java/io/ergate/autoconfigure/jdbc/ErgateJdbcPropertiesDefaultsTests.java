package io.ergate.autoconfigure.jdbc;

import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ergate.jdbc.JdbcOptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ergate.jdbc.*} defaults are {@link JdbcOptions}' own: bound from nothing, every property
 * holds the builder's default, and so does the default the configuration metadata documents.
 */
class ErgateJdbcPropertiesDefaultsTests {

	private static final JdbcOptions DEFAULTS = JdbcOptions.defaults();

	@Test
	void bindingNothingGivesTheDefaultsOfJdbcOptions() {
		ErgateJdbcProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
			.bindOrCreate("ergate.jdbc", Bindable.of(ErgateJdbcProperties.class));
		assertThat(properties.getTablePrefix()).isEqualTo(DEFAULTS.tablePrefix());
		assertThat(properties.getClaimBatchSize()).isEqualTo(DEFAULTS.claimBatchSize());
		assertThat(properties.getLeaseDuration()).isEqualTo(DEFAULTS.leaseDuration());
		assertThat(properties.getPollInterval()).isEqualTo(DEFAULTS.pollInterval());
		assertThat(properties.isListenNotify()).isEqualTo(DEFAULTS.listenNotify());
		assertThat(properties.getMaxDeliveries()).isEqualTo(DEFAULTS.maxDeliveries());
		assertThat(properties.getRunningStateDelay()).isEqualTo(DEFAULTS.runningStateDelay());
		assertThat(properties.getHandOverDelay()).isEqualTo(DEFAULTS.handOverDelay());
		assertThat(properties.getDialect()).isEqualTo(DEFAULTS.dialect());
	}

	@Test
	@SuppressWarnings("unchecked")
	void theDocumentedDefaultsAreThoseOfJdbcOptions() throws Exception {
		Map<String, Object> metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			metadata = JsonMapper.shared().readValue(in, Map.class);
		}
		Map<String, Object> documented = new LinkedHashMap<>();
		for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
			documented.put((String) property.get("name"), property.get("defaultValue"));
		}
		assertThat(documented.get("ergate.jdbc.table-prefix")).isEqualTo(DEFAULTS.tablePrefix());
		assertThat(documented.get("ergate.jdbc.claim-batch-size")).isEqualTo(DEFAULTS.claimBatchSize());
		assertThat(duration(documented.get("ergate.jdbc.lease-duration"))).isEqualTo(DEFAULTS.leaseDuration());
		assertThat(duration(documented.get("ergate.jdbc.poll-interval"))).isEqualTo(DEFAULTS.pollInterval());
		assertThat(documented.get("ergate.jdbc.listen-notify")).isEqualTo(DEFAULTS.listenNotify());
		assertThat(documented.get("ergate.jdbc.max-deliveries")).isEqualTo(DEFAULTS.maxDeliveries());
		assertThat(duration(documented.get("ergate.jdbc.running-state-delay")))
			.isEqualTo(DEFAULTS.runningStateDelay());
		assertThat(duration(documented.get("ergate.jdbc.hand-over-delay"))).isEqualTo(DEFAULTS.handOverDelay());
		assertThat(documented.get("ergate.jdbc.dialect")).as("detected when not set").isNull();
	}

	private static Duration duration(Object text) {
		return ApplicationConversionService.getSharedInstance().convert(text, Duration.class);
	}

}
