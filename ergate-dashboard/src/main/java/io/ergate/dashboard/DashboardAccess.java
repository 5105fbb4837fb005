package io.ergate.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * Who may see the dashboard and who may act on jobs. With Spring Security the roles decide (read from
 * its security context, so whatever security filter chain serves the dashboard); without it anyone who reaches the
 * dashboard sees it, and acts only when {@code ergate.dashboard.actions-enabled=true}, each action
 * carrying the token this class issues to the browser's session (a synchronizer token against CSRF).
 */
final class DashboardAccess {

	static final String TOKEN_PARAMETER = "_csrf";

	private static final String TOKEN_ATTRIBUTE = DashboardAccess.class.getName() + ".token";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final boolean secured;

	private final boolean actionsEnabled;

	private final String viewerRole;

	private final String operatorRole;

	DashboardAccess(boolean secured, ErgateDashboardProperties properties) {
		this.secured = secured;
		Boolean actions = properties.getActionsEnabled();
		this.actionsEnabled = (actions != null) ? actions : secured;
		this.viewerRole = ErgateDashboardProperties.roleName(properties.getViewerRole());
		this.operatorRole = ErgateDashboardProperties.roleName(properties.getOperatorRole());
	}

	boolean isSecured() {
		return this.secured;
	}

	boolean actionsEnabled() {
		return this.actionsEnabled;
	}

	boolean canView(HttpServletRequest request) {
		return !this.secured || SecurityRoles.has(this.viewerRole) || SecurityRoles.has(this.operatorRole);
	}

	boolean canAct(HttpServletRequest request) {
		return this.actionsEnabled && (!this.secured || SecurityRoles.has(this.operatorRole));
	}

	/**
	 * Returns the token the pages put in their action forms when the dashboard checks them itself
	 * (without Spring Security, whose own CSRF token the forms carry otherwise), creating it for the session.
	 * @param request the page's request
	 * @return the token, {@code null} when Spring Security protects the dashboard or no action is offered
	 */
	@Nullable String ownToken(HttpServletRequest request) {
		if (this.secured || !this.actionsEnabled) {
			return null;
		}
		HttpSession session = request.getSession();
		Object token = session.getAttribute(TOKEN_ATTRIBUTE);
		if (token instanceof String text) {
			return text;
		}
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		String created = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		session.setAttribute(TOKEN_ATTRIBUTE, created);
		return created;
	}

	/**
	 * Tells whether an action's request carries the token of its session (always true with Spring
	 * Security, whose CSRF filter checked it already).
	 * @param request the action's request
	 * @return whether it may go on
	 */
	boolean tokenMatches(HttpServletRequest request) {
		if (this.secured) {
			return true;
		}
		HttpSession session = request.getSession(false);
		Object expected = (session != null) ? session.getAttribute(TOKEN_ATTRIBUTE) : null;
		String given = request.getParameter(TOKEN_PARAMETER);
		return expected instanceof String text && given != null && MessageDigest
			.isEqual(text.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
	}

}
