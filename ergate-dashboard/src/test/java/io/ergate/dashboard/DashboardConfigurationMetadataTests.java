package io.ergate.dashboard;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata generated for the dashboard: every {@code ergate.dashboard.*} property is
 * described, with its default where it has one (the two that default by Spring Security have none).
 */
class DashboardConfigurationMetadataTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyIsDocumented() throws Exception {
		Map<String, Object> metadata = null;
		for (java.net.URL url : java.util.Collections
			.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
			if (url.toString().contains("ergate-dashboard")) {
				try (InputStream in = url.openStream()) {
					metadata = JsonMapper.shared().readValue(in, Map.class);
				}
			}
		}
		assertThat(metadata).as("the dashboard's generated metadata").isNotNull();
		List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
		assertThat(properties).extracting((property) -> property.get("name"))
			.containsExactlyInAnyOrder("ergate.dashboard.enabled", "ergate.dashboard.path",
					"ergate.dashboard.actions-enabled", "ergate.dashboard.viewer-role", "ergate.dashboard.operator-role",
					"ergate.dashboard.page-size", "ergate.dashboard.refresh-interval");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
		assertThat(properties)
			.filteredOn((property) -> !List.of("ergate.dashboard.enabled", "ergate.dashboard.actions-enabled")
				.contains(property.get("name")))
			.allSatisfy((property) -> assertThat(property).as("default of %s", property.get("name"))
				.containsKey("defaultValue"));
	}

}
