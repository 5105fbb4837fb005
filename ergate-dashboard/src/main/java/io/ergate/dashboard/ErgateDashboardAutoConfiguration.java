package io.ergate.dashboard;

import java.time.Clock;

import io.ergate.Ergate;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.autoconfigure.ErgateCustomizer;
import io.ergate.spring.ErgateWorker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.thymeleaf.spring6.SpringTemplateEngine;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the Ergate dashboard: its pages, served by the application's own Spring MVC
 * server under {@code ergate.dashboard.path} ({@code /ergate}), for the auto-configured {@link Ergate}
 * engine.
 * <p>
 * With Spring Security on the class path it is on, and protected: viewers see it, operators act, each
 * action carrying Spring Security's CSRF token; unless the application declares a bean named
 * {@value DashboardSecurityConfiguration#CHAIN_BEAN_NAME}, a {@code SecurityFilterChain} for the
 * dashboard's path only is declared. Without Spring Security it is off unless
 * {@code ergate.dashboard.enabled=true}, and then read-only unless
 * {@code ergate.dashboard.actions-enabled=true}.
 */
@AutoConfiguration(after = ErgateAutoConfiguration.class, afterName = {
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Ergate.class, DispatcherServlet.class, SpringTemplateEngine.class })
@ConditionalOnBean(Ergate.class)
@Conditional(DashboardEnabledCondition.class)
@EnableConfigurationProperties(ErgateDashboardProperties.class)
@Import(DashboardSecurityConfiguration.class)
public final class ErgateDashboardAutoConfiguration {

	ErgateDashboardAutoConfiguration() {
	}

	@Bean
	Throughput ergateDashboardThroughput() {
		return new Throughput(Clock.systemUTC());
	}

	/** Feeds the throughput chart: the engine tells it each job that completes or fails. */
	@Bean
	ErgateCustomizer ergateDashboardCustomizer(Throughput throughput) {
		return (builder) -> builder.listener(throughput);
	}

	@Bean
	DashboardAccess ergateDashboardAccess(ErgateDashboardProperties properties, ApplicationContext context) {
		return new DashboardAccess(DashboardEnabledCondition.secured(context.getClassLoader()), properties);
	}

	@Bean
	DashboardViews ergateDashboardViews(ApplicationContext context, ErgateDashboardProperties properties,
			DashboardAccess access) {
		return new DashboardViews(context, properties, access);
	}

	@Bean
	OverviewController ergateDashboardOverviewController(Ergate ergate, ObjectProvider<ErgateWorker> worker,
			Throughput throughput, DashboardViews views) {
		return new OverviewController(ergate, worker.getIfAvailable(), throughput, views);
	}

	@Bean
	JobsController ergateDashboardJobsController(Ergate ergate, ObjectProvider<JsonMapper> jsonMapper,
			DashboardViews views, ErgateDashboardProperties properties) {
		return new JobsController(ergate, jsonMapper.getIfUnique(JsonMapper::shared), Clock.systemUTC(), views,
				properties.getPageSize());
	}

	@Bean
	WorkflowsController ergateDashboardWorkflowsController(Ergate ergate, DashboardViews views) {
		return new WorkflowsController(ergate, views);
	}

	@Bean
	ActionsController ergateDashboardActionsController(Ergate ergate, Throughput throughput, DashboardViews views,
			DashboardAccess access, ErgateDashboardProperties properties) {
		return new ActionsController(ergate, throughput, Clock.systemUTC(), views, access, properties.getPath());
	}

	@Bean
	WebMvcConfigurer ergateDashboardWebMvcConfigurer(ErgateDashboardProperties properties, DashboardAccess access) {
		String path = properties.getPath();
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(new DashboardGuard(access))
					.addPathPatterns(path, path + "/**")
					.excludePathPatterns(path + "/assets/**", path + "/login");
			}

			@Override
			public void addResourceHandlers(ResourceHandlerRegistry registry) {
				registry.addResourceHandler(path + "/assets/**")
					.addResourceLocations("classpath:/io/ergate/dashboard/static/");
			}

		};
	}

}
