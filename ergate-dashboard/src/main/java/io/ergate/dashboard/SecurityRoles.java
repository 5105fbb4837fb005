package io.ergate.dashboard;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Reads the roles of the current user from Spring Security's context, anonymous users included (whose
 * roles the servlet request does not tell), for {@link DashboardAccess}. Loaded only when Spring
 * Security is on the class path.
 */
final class SecurityRoles {

	private SecurityRoles() {
	}

	static boolean has(String role) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()) {
			return false;
		}
		String authority = "ROLE_" + role;
		for (GrantedAuthority granted : authentication.getAuthorities()) {
			if (authority.equals(granted.getAuthority())) {
				return true;
			}
		}
		return false;
	}

}
