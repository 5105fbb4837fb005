package io.ergate.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobHistory;
import io.ergate.JobStatus;
import io.ergate.JobTransition;
import io.ergate.QueryableStateStore;
import io.ergate.StateStore;
import io.ergate.Workflow;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job list (filtered, paged, and its JSON that the page polls to refresh its rows) and each job's
 * page: its state as the seed's JSON, its traceback and its timeline.
 */
@Controller
@RequestMapping("${ergate.dashboard.path:/ergate}")
final class JobsController {

	/** The age filters the list offers, by their parameter value. */
	static final Map<String, Duration> WITHIN = Map.of("5m", Duration.ofMinutes(5), "1h", Duration.ofHours(1), "24h",
			Duration.ofHours(24), "7d", Duration.ofDays(7));

	private final Ergate ergate;

	private final JsonMapper jsonMapper;

	private final Clock clock;

	private final DashboardViews views;

	private final int pageSize;

	JobsController(Ergate ergate, JsonMapper jsonMapper, Clock clock, DashboardViews views, int pageSize) {
		this.ergate = ergate;
		this.jsonMapper = jsonMapper;
		this.clock = clock;
		this.views = views;
		this.pageSize = pageSize;
	}

	@GetMapping("/jobs")
	ModelAndView jobs(HttpServletRequest request, @RequestParam(required = false) @Nullable String workflow,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String within,
			@RequestParam(required = false) @Nullable String id, @RequestParam(defaultValue = "0") int page) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("workflows", this.ergate.workflows().stream().map(Workflow::name).toList());
		model.put("statuses", List.of(JobStatus.values()).stream().map(JobStatus::name).toList());
		model.put("withins", List.of("5m", "1h", "24h", "7d"));
		model.put("workflow", blankToEmpty(workflow));
		model.put("status", blankToEmpty(status));
		model.put("within", blankToEmpty(within));
		model.put("id", blankToEmpty(id));
		model.put("storeType", this.ergate.stateStore().getClass().getName());
		JobFinder finder = finder();
		model.put("queryable", finder != null);
		if (finder != null) {
			JobFinder.Page found = finder.find(filter(workflow, status, within, id), Math.max(0, page), this.pageSize);
			model.put("page", found);
			model.put("knowsAges", finder.knowsAges());
			String query = query(workflow, status, within, id);
			model.put("query", query);
			model.put("previous", (found.page() > 0) ? "/jobs?" + query + "page=" + (found.page() - 1) : "");
			model.put("next", found.hasNext() ? "/jobs?" + query + "page=" + (found.page() + 1) : "");
		}
		return this.views.page("jobs", "jobs", request, model);
	}

	@GetMapping("/api/jobs")
	@ResponseBody
	Map<String, Object> jobsJson(@RequestParam(required = false) @Nullable String workflow,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String within,
			@RequestParam(required = false) @Nullable String id, @RequestParam(defaultValue = "0") int page) {
		Map<String, Object> json = new LinkedHashMap<>();
		JobFinder finder = finder();
		if (finder == null) {
			json.put("rows", List.of());
			return json;
		}
		JobFinder.Page found = finder.find(filter(workflow, status, within, id), Math.max(0, page), this.pageSize);
		json.put("rows", found.rows());
		json.put("page", found.page());
		json.put("hasNext", found.hasNext());
		return json;
	}

	@GetMapping("/jobs/{id}")
	ModelAndView job(HttpServletRequest request, HttpServletResponse response, @PathVariable String id) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("id", id);
		StateStore store = this.ergate.stateStore();
		model.put("storeType", store.getClass().getName());
		Optional<Job> job = (store instanceof QueryableStateStore queryable) ? queryable.findById(id) : Optional.empty();
		model.put("queryable", store instanceof QueryableStateStore);
		if (job.isEmpty()) {
			response.setStatus(HttpServletResponse.SC_NOT_FOUND);
			return this.views.page("job-missing", "jobs", request, model);
		}
		Job state = job.get();
		Instant now = this.clock.instant();
		List<JobTransition> history = (store instanceof JobHistory jobHistory) ? jobHistory.history(id) : List.of();
		model.put("job", JobRow.of(state, history, now));
		model.put("stepsCompleted", state.stepsCompleted());
		model.put("workflowQuery", Formats.query(state.workflowName()));
		model.put("json", this.jsonMapper.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(state));
		model.put("traceback", (state.exceptionTraceback() != null) ? state.exceptionTraceback() : "");
		model.put("hasHistory", store instanceof JobHistory);
		model.put("timeline", Timeline.of(history, state.status().isFinal(), now));
		model.put("retryable", state.status() == JobStatus.FAILED || state.status() == JobStatus.ABORTED
				|| state.status() == JobStatus.CANCELLED);
		return this.views.page("job", "jobs", request, model);
	}

	private @Nullable JobFinder finder() {
		StateStore store = this.ergate.stateStore();
		if (!(store instanceof QueryableStateStore queryable)) {
			return null;
		}
		return new JobFinder(queryable, (store instanceof JobHistory history) ? history : null, this.clock);
	}

	private static JobFinder.Filter filter(@Nullable String workflow, @Nullable String status, @Nullable String within,
			@Nullable String id) {
		return new JobFinder.Filter(blankToNull(workflow), (blankToNull(status) != null) ? JobStatus.parse(status) : null,
				(within != null) ? WITHIN.get(within) : null, blankToNull(id));
	}

	/** The filter as the start of a query string, each parameter followed by {@code &}. */
	private static String query(@Nullable String workflow, @Nullable String status, @Nullable String within,
			@Nullable String id) {
		List<String> parts = new ArrayList<>();
		if (blankToNull(workflow) != null) {
			parts.add("workflow=" + Formats.query(workflow.trim()));
		}
		if (blankToNull(status) != null) {
			parts.add("status=" + Formats.query(status.trim()));
		}
		if (blankToNull(within) != null) {
			parts.add("within=" + Formats.query(within.trim()));
		}
		if (blankToNull(id) != null) {
			parts.add("id=" + Formats.query(id.trim()));
		}
		StringBuilder query = new StringBuilder();
		for (String part : parts) {
			query.append(part).append('&');
		}
		return query.toString();
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	private static String blankToEmpty(@Nullable String value) {
		return (value == null) ? "" : value.trim();
	}

}
