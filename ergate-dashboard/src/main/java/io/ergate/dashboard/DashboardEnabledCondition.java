package io.ergate.dashboard;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Whether to serve the dashboard: as {@code ergate.dashboard.enabled} says; when it is not set, only
 * when Spring Security is on the class path to protect it.
 */
final class DashboardEnabledCondition extends SpringBootCondition {

	static final String SECURITY_CLASS = "org.springframework.security.web.SecurityFilterChain";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String enabled = context.getEnvironment().getProperty("ergate.dashboard.enabled");
		if (enabled != null && !enabled.isBlank()) {
			return Boolean.parseBoolean(enabled.trim()) ? ConditionOutcome.match("ergate.dashboard.enabled is true")
					: ConditionOutcome.noMatch("ergate.dashboard.enabled is false");
		}
		if (secured(context.getClassLoader())) {
			return ConditionOutcome.match("Spring Security is on the class path to protect the dashboard");
		}
		return ConditionOutcome.noMatch("Spring Security is not on the class path and ergate.dashboard.enabled is not "
				+ "set: set ergate.dashboard.enabled=true to serve the dashboard without it (read-only unless "
				+ "ergate.dashboard.actions-enabled=true)");
	}

	static boolean secured(ClassLoader classLoader) {
		return ClassUtils.isPresent(SECURITY_CLASS, classLoader);
	}

}
