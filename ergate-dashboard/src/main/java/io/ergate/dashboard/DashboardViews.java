package io.ergate.dashboard;

import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.support.RequestContextUtils;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders the dashboard's pages with a Thymeleaf engine of its own, reading the templates from this
 * jar, so that the application's own view resolvers, templates and {@code spring.thymeleaf.*}
 * settings neither serve nor change them. Adds what every page shows: the base path, the navigation,
 * whether the user may act, and the action token.
 */
final class DashboardViews {

	private final ThymeleafViewResolver resolver;

	private final ErgateDashboardProperties properties;

	private final DashboardAccess access;

	DashboardViews(ApplicationContext context, ErgateDashboardProperties properties, DashboardAccess access) {
		this.properties = properties;
		this.access = access;
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(DashboardViews.class.getClassLoader());
		resolver.setPrefix("io/ergate/dashboard/templates/");
		resolver.setSuffix(".html");
		resolver.setTemplateMode(TemplateMode.HTML);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCacheable(true);
		SpringTemplateEngine engine = new SpringTemplateEngine();
		engine.setTemplateResolver(resolver);
		ThymeleafViewResolver viewResolver = new ThymeleafViewResolver();
		viewResolver.setTemplateEngine(engine);
		viewResolver.setApplicationContext(context);
		viewResolver.setCharacterEncoding("UTF-8");
		viewResolver.setContentType("text/html;charset=UTF-8");
		this.resolver = viewResolver;
	}

	ModelAndView page(String template, String active, HttpServletRequest request, Map<String, ?> model) {
		View view;
		try {
			view = this.resolver.resolveViewName(template, Locale.ROOT);
		}
		catch (Exception ex) {
			throw new IllegalStateException("The dashboard's template " + template + " cannot be loaded", ex);
		}
		if (view == null) {
			throw new IllegalStateException("The dashboard has no template " + template);
		}
		ModelAndView page = new ModelAndView(view, model);
		page.addObject("base", request.getContextPath() + this.properties.getPath());
		page.addObject("active", active);
		page.addObject("canAct", this.access.canAct(request));
		page.addObject("secured", this.access.isSecured());
		page.addObject("user", (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : "");
		page.addObject("ownCsrf", this.access.ownToken(request));
		page.addObject("refreshMillis", this.properties.getRefreshInterval().toMillis());
		page.addObject("fmt", new Formats());
		Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
		page.addObject("message", (flash != null && flash.get("message") instanceof String text) ? text : "");
		page.addObject("error", (flash != null && flash.get("error") instanceof String text) ? text : "");
		return page;
	}

}
