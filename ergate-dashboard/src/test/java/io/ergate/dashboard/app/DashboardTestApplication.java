package io.ergate.dashboard.app;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The application the dashboard's tests drive under Spring Security: the in-memory queue and store,
 * the {@link TestWorkflows}, and three users: a viewer, an operator, and one with neither role.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestWorkflows.class)
public class DashboardTestApplication {

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("viewer").password("{noop}viewer").roles("ERGATE_VIEWER").build(),
				User.withUsername("operator").password("{noop}operator").roles("ERGATE_OPERATOR").build(),
				User.withUsername("nobody").password("{noop}nobody").roles("OTHER").build());
	}

}
