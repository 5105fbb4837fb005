package io.ergate.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ergate.Ergate;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The workflows page: each registered workflow's steps in order and their path hints, drawn as a graph.
 */
@Controller
@RequestMapping("${ergate.dashboard.path:/ergate}")
final class WorkflowsController {

	private final Ergate ergate;

	private final DashboardViews views;

	WorkflowsController(Ergate ergate, DashboardViews views) {
		this.ergate = ergate;
		this.views = views;
	}

	@GetMapping("/workflows")
	ModelAndView workflows(HttpServletRequest request) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("graphs", this.ergate.workflows().stream().map(WorkflowGraph::of).toList());
		return this.views.page("workflows", "workflows", request, model);
	}

}
