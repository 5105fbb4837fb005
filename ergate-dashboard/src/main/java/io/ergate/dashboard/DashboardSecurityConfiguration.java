package io.ergate.dashboard;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfException;

/**
 * The dashboard under Spring Security: a {@link SecurityFilterChain} for the dashboard's path only
 * (viewers see, operators post actions, Spring Security's CSRF token on every action, a login form of
 * the dashboard's own and HTTP Basic), unless the application declares a bean named
 * {@value #CHAIN_BEAN_NAME}; and the login page.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { DashboardEnabledCondition.SECURITY_CLASS,
		"org.springframework.security.config.annotation.web.builders.HttpSecurity" })
class DashboardSecurityConfiguration {

	/** The name of the dashboard's security filter chain bean: declare one of this name to replace it. */
	static final String CHAIN_BEAN_NAME = "ergateDashboardSecurityFilterChain";

	/** Before the application's chains of default order, and Spring Boot's own, which match every path. */
	static final int CHAIN_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	@Bean(CHAIN_BEAN_NAME)
	@Order(CHAIN_ORDER)
	@ConditionalOnBean(HttpSecurity.class)
	@ConditionalOnMissingBean(name = CHAIN_BEAN_NAME)
	SecurityFilterChain ergateDashboardSecurityFilterChain(HttpSecurity http, ErgateDashboardProperties properties)
			throws Exception {
		String path = properties.getPath();
		String viewer = ErgateDashboardProperties.roleName(properties.getViewerRole());
		String operator = ErgateDashboardProperties.roleName(properties.getOperatorRole());
		http.securityMatcher(path, path + "/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers(path + "/assets/**", path + "/login")
				.permitAll()
				.requestMatchers(HttpMethod.POST, path + "/**")
				.hasRole(operator)
				.requestMatchers(path + "/jobs/*/cancel", path + "/jobs/*/retry", path + "/jobs/*/delete",
						path + "/workflows/*/retry-failed")
				.hasRole(operator)
				.anyRequest()
				.hasAnyRole(viewer, operator))
			.formLogin((login) -> login.loginPage(path + "/login").defaultSuccessUrl(path, false).permitAll())
			.logout((logout) -> logout.logoutUrl(path + "/logout").logoutSuccessUrl(path + "/login?logout"))
			.httpBasic((basic) -> {
			})
			.exceptionHandling((exceptions) -> exceptions.accessDeniedHandler((request, response, denied) -> DashboardGuard
				.refuse(response, (denied instanceof CsrfException) ? "the action's CSRF token is missing or stale: "
						+ "reload the page and try again" : "this needs the dashboard's " + (HttpMethod.POST.matches(
								request.getMethod()) ? "operator" : "viewer") + " role")));
		return http.build();
	}

	@Bean
	LoginController ergateDashboardLoginController(DashboardViews views) {
		return new LoginController(views);
	}

}
