package io.ergate.dashboard;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard's login page, for the form login of its own security filter chain (Spring Security
 * answers the form's POST).
 */
@Controller
@RequestMapping("${ergate.dashboard.path:/ergate}")
final class LoginController {

	private final DashboardViews views;

	LoginController(DashboardViews views) {
		this.views = views;
	}

	@GetMapping("/login")
	ModelAndView login(HttpServletRequest request) {
		return this.views.page("login", "login", request, Map.of("failed", request.getParameter("error") != null,
				"loggedOut", request.getParameter("logout") != null));
	}

}
