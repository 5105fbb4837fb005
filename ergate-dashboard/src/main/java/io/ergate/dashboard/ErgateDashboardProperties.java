package io.ergate.dashboard;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code ergate.dashboard.*} settings of the in-app dashboard. It validates itself as it is bound,
 * so that a bad value fails the startup naming the property.
 */
@ConfigurationProperties("ergate.dashboard")
public class ErgateDashboardProperties implements Validator {

	/**
	 * Whether to serve the dashboard. Not set: on when Spring Security is on the class path (which then
	 * protects it), off without it.
	 */
	private @Nullable Boolean enabled;

	/**
	 * The path the dashboard is served under, starting with a slash and not ending with one.
	 */
	private String path = "/ergate";

	/**
	 * Whether the dashboard offers its actions (cancel, retry, delete). Not set: on with Spring Security
	 * (for users with the operator role), off without it; true without Spring Security lets anyone who
	 * reaches the dashboard act, each action checked against a token the dashboard issues.
	 */
	private @Nullable Boolean actionsEnabled;

	/**
	 * The role (without the ROLE_ prefix) that may see the dashboard, when Spring Security protects it.
	 */
	private String viewerRole = "ERGATE_VIEWER";

	/**
	 * The role (without the ROLE_ prefix) that may see the dashboard and act on jobs, when Spring
	 * Security protects it.
	 */
	private String operatorRole = "ERGATE_OPERATOR";

	/**
	 * How many jobs one page of the job list shows.
	 */
	private int pageSize = 25;

	/**
	 * How often the job list and the overview refresh themselves in the browser.
	 */
	private Duration refreshInterval = Duration.ofSeconds(2);

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public @Nullable Boolean getActionsEnabled() {
		return this.actionsEnabled;
	}

	public void setActionsEnabled(@Nullable Boolean actionsEnabled) {
		this.actionsEnabled = actionsEnabled;
	}

	public String getViewerRole() {
		return this.viewerRole;
	}

	public void setViewerRole(String viewerRole) {
		this.viewerRole = viewerRole;
	}

	public String getOperatorRole() {
		return this.operatorRole;
	}

	public void setOperatorRole(String operatorRole) {
		this.operatorRole = operatorRole;
	}

	public int getPageSize() {
		return this.pageSize;
	}

	public void setPageSize(int pageSize) {
		this.pageSize = pageSize;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	@Override
	public boolean supports(Class<?> type) {
		return type == ErgateDashboardProperties.class;
	}

	@Override
	public void validate(Object target, Errors errors) {
		ErgateDashboardProperties properties = (ErgateDashboardProperties) target;
		String path = properties.getPath();
		if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || !path.matches("[A-Za-z0-9/._~-]+")) {
			errors.rejectValue("path", "invalid",
					"must start with a slash, not end with one, and hold only letters, digits and / . _ ~ -, such as /ergate");
		}
		if (properties.getPageSize() < 1 || properties.getPageSize() > 1000) {
			errors.rejectValue("pageSize", "range", "must be from 1 to 1000");
		}
		if (properties.getRefreshInterval().toMillis() < 200) {
			errors.rejectValue("refreshInterval", "min", "must be 200ms or more");
		}
		if (properties.getViewerRole().isBlank()) {
			errors.rejectValue("viewerRole", "blank", "must name a role");
		}
		if (properties.getOperatorRole().isBlank()) {
			errors.rejectValue("operatorRole", "blank", "must name a role");
		}
	}

	/**
	 * Returns a role name as Spring Security's {@code hasRole} takes it: without the {@code ROLE_} prefix.
	 */
	static String roleName(String role) {
		return role.startsWith("ROLE_") ? role.substring(5) : role;
	}

}
