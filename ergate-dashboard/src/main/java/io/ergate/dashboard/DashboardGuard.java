package io.ergate.dashboard;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks every request to the dashboard against {@link DashboardAccess}: a page needs the viewer (or
 * operator) role, an action the operator role, actions turned on, and, without Spring Security, the
 * dashboard's own token. Refused requests are answered 403 with the reason.
 */
final class DashboardGuard implements HandlerInterceptor {

	private final DashboardAccess access;

	DashboardGuard(DashboardAccess access) {
		this.access = access;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		if (HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod())) {
			if (!this.access.canView(request)) {
				return refuse(response, "This needs the dashboard's viewer role");
			}
			return true;
		}
		if (!this.access.actionsEnabled()) {
			return refuse(response, "The dashboard's actions are turned off (ergate.dashboard.actions-enabled)");
		}
		if (!this.access.canAct(request)) {
			return refuse(response, "This needs the dashboard's operator role");
		}
		if (!this.access.tokenMatches(request)) {
			return refuse(response, "The action's token is missing or stale: reload the page and try again");
		}
		return true;
	}

	/**
	 * Answers 403 with the reason as plain text, written here rather than through the container's error
	 * page, whose own dispatch another security filter chain of the application may answer otherwise.
	 */
	static boolean refuse(HttpServletResponse response, String reason) throws IOException {
		response.setStatus(HttpServletResponse.SC_FORBIDDEN);
		response.setContentType("text/plain;charset=UTF-8");
		response.getWriter().write("403 Forbidden: " + reason + "\n");
		return false;
	}

}
