package io.ergate.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample's security: the Ergate dashboard on {@code /ergate} can be seen by anyone (anonymous
 * visitors get the viewer role there), and its actions (cancel, retry, delete) need the operator role,
 * which the demo user {@code operator}, password {@code operator}, has. Everything else, the sample's
 * HTTP API and Actuator, stays open as before. DEMO ONLY: a real application signs its operators in
 * through its own user store, and does not show its jobs to anonymous visitors.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurityConfiguration {

	/**
	 * The dashboard's chain; its name replaces the one ergate-dashboard would declare.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain ergateDashboardSecurityFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher("/ergate", "/ergate/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/ergate/assets/**", "/ergate/login")
				.permitAll()
				.requestMatchers(HttpMethod.POST, "/ergate/**")
				.hasRole("ERGATE_OPERATOR")
				.requestMatchers("/ergate/jobs/*/cancel", "/ergate/jobs/*/retry", "/ergate/jobs/*/delete",
						"/ergate/workflows/*/retry-failed")
				.hasRole("ERGATE_OPERATOR")
				.anyRequest()
				.hasAnyRole("ERGATE_VIEWER", "ERGATE_OPERATOR"))
			.anonymous((anonymous) -> anonymous.authorities("ROLE_ERGATE_VIEWER"))
			.formLogin((login) -> login.loginPage("/ergate/login").defaultSuccessUrl("/ergate", false).permitAll())
			.logout((logout) -> logout.logoutUrl("/ergate/logout").logoutSuccessUrl("/ergate"));
		return http.build();
	}

	/**
	 * The rest of the sample, open as it was before the dashboard came: its JSON API takes no CSRF token.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain sampleApiSecurityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	/**
	 * The demo operator. DEMO ONLY: a password in the code, for a sample that runs on a laptop.
	 */
	@Bean
	UserDetailsService demoOperator() {
		return new InMemoryUserDetailsManager(
				User.withUsername("operator").password("{noop}operator").roles("ERGATE_OPERATOR").build());
	}

}
