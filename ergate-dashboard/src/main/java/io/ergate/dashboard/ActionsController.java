package io.ergate.dashboard;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.QueryableStateStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The actions: cancel, retry and delete one job, and retry every failed job of a workflow. Each is a
 * confirmation page (GET) and a POST form carrying {@code confirmed=true} and the CSRF token; a POST
 * without the confirmation is sent back to its page. They go through the engine's {@link Ergate}
 * API; the outcome is told on the page the action leads back to.
 */
@Controller
@RequestMapping("${ergate.dashboard.path:/ergate}")
final class ActionsController {

	/** How many failed jobs the bulk retry's confirmation counts at most. */
	static final int COUNT_LIMIT = 10_000;

	private final Ergate ergate;

	private final Throughput throughput;

	private final Clock clock;

	private final DashboardViews views;

	private final DashboardAccess access;

	private final String path;

	ActionsController(Ergate ergate, Throughput throughput, Clock clock, DashboardViews views, DashboardAccess access,
			String path) {
		this.ergate = ergate;
		this.access = access;
		this.throughput = throughput;
		this.clock = clock;
		this.views = views;
		this.path = path;
	}

	@GetMapping("/jobs/{id}/{action:cancel|retry|delete}")
	@Nullable ModelAndView confirmJobAction(HttpServletRequest request, HttpServletResponse response, @PathVariable String id,
			@PathVariable String action) throws IOException {
		if (!this.access.canAct(request)) {
			DashboardGuard.refuse(response, "Acting on jobs needs the dashboard's operator role"
					+ (this.access.actionsEnabled() ? "" : ", and ergate.dashboard.actions-enabled=true"));
			return null;
		}
		Optional<Job> job = find(id);
		if (job.isEmpty()) {
			return missing(request, response, id);
		}
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("action", action);
		model.put("job", JobRow.of(job.get(), List.of(), this.clock.instant()));
		model.put("target", "/jobs/" + Formats.segment(id) + "/" + action);
		model.put("back", "/jobs/" + Formats.segment(id));
		switch (action) {
			case "cancel" -> {
				model.put("title", "Cancel job " + id + "?");
				model.put("explanation", "A queued or scheduled job is cancelled at once; a job whose step is running "
						+ "is CANCELLING until that step ends, and then CANCELLED if more steps would run.");
				model.put("button", "Yes, cancel the job");
			}
			case "retry" -> {
				model.put("title", "Retry job " + id + "?");
				model.put("explanation", "The job is queued again and runs from the step where it stopped ("
						+ job.get().stepName() + "), with that step's input.");
				model.put("button", "Yes, retry the job");
			}
			default -> {
				model.put("title", "Delete job " + id + "?");
				model.put("explanation", "Its recorded state is deleted for good; only a job in a final status can be "
						+ "deleted.");
				model.put("button", "Yes, delete the job");
			}
		}
		return this.views.page("confirm", "jobs", request, model);
	}

	@PostMapping("/jobs/{id}/{action:cancel|retry|delete}")
	View jobAction(@PathVariable String id, @PathVariable String action,
			@RequestParam(defaultValue = "false") boolean confirmed, RedirectAttributes redirect) {
		String job = "/jobs/" + Formats.segment(id);
		if (!confirmed) {
			return redirect(job + "/" + action);
		}
		try {
			switch (action) {
				case "cancel" -> {
					Optional<Job> after = this.ergate.cancel(id);
					if (after.isEmpty()) {
						return notFound(redirect, id);
					}
					JobStatus status = after.get().status();
					redirect.addFlashAttribute("message", switch (status) {
						case CANCELLED -> "Job " + id + " is cancelled.";
						case CANCELLING -> "Job " + id + " is being cancelled: its running step ends first.";
						default -> "Job " + id + " was already " + status + " and is left as it is.";
					});
				}
				case "retry" -> {
					Optional<Job> after = this.ergate.retry(id);
					if (after.isEmpty()) {
						return notFound(redirect, id);
					}
					this.throughput.retried(1);
					redirect.addFlashAttribute("message", "Job " + id + " is queued again, from step "
							+ after.get().stepName() + ".");
				}
				default -> {
					if (!this.ergate.delete(id)) {
						return notFound(redirect, id);
					}
					redirect.addFlashAttribute("message", "Job " + id + " is deleted.");
					return redirect("/jobs");
				}
			}
		}
		catch (IllegalStateException | UnsupportedOperationException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return redirect(job);
	}

	@GetMapping("/workflows/{workflow}/retry-failed")
	@Nullable ModelAndView confirmRetryFailed(HttpServletRequest request, HttpServletResponse response,
			@PathVariable String workflow) throws IOException {
		if (!this.access.canAct(request)) {
			DashboardGuard.refuse(response, "Acting on jobs needs the dashboard's operator role"
					+ (this.access.actionsEnabled() ? "" : ", and ergate.dashboard.actions-enabled=true"));
			return null;
		}
		if (this.ergate.workflow(workflow).isEmpty()) {
			response.setStatus(HttpServletResponse.SC_NOT_FOUND);
			return this.views.page("job-missing", "workflows", request, Map.of("id", workflow, "queryable", true,
					"storeType", this.ergate.stateStore().getClass().getName()));
		}
		Map<String, Object> model = new LinkedHashMap<>();
		int failed = (this.ergate.stateStore() instanceof QueryableStateStore store)
				? store.findJobs(workflow, JobStatus.FAILED, 0, COUNT_LIMIT + 1).size() : 0;
		model.put("action", "retry-failed");
		model.put("job", null);
		model.put("target", "/workflows/" + Formats.segment(workflow) + "/retry-failed");
		model.put("back", "/jobs?workflow=" + Formats.query(workflow) + "&status=FAILED");
		model.put("title", "Retry every failed job of " + workflow + "?");
		model.put("explanation", ((failed > COUNT_LIMIT) ? "More than " + COUNT_LIMIT : String.valueOf(failed))
				+ " FAILED job" + ((failed == 1) ? " is" : "s are") + " queued again, each from the step where it "
				+ "stopped. Jobs that fail meanwhile are retried too.");
		model.put("button", "Yes, retry the failed jobs");
		return this.views.page("confirm", "workflows", request, model);
	}

	@PostMapping("/workflows/{workflow}/retry-failed")
	View retryFailed(@PathVariable String workflow, @RequestParam(defaultValue = "false") boolean confirmed,
			RedirectAttributes redirect) {
		String jobs = "/jobs?workflow=" + Formats.query(workflow);
		if (!confirmed) {
			return redirect("/workflows/" + Formats.segment(workflow) + "/retry-failed");
		}
		try {
			int retried = this.ergate.retryAll(workflow, JobStatus.FAILED);
			this.throughput.retried(retried);
			redirect.addFlashAttribute("message", retried + " failed job" + ((retried == 1) ? " of " : "s of ")
					+ workflow + ((retried == 1) ? " is" : " are") + " queued again.");
		}
		catch (IllegalStateException | UnsupportedOperationException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return redirect(jobs);
	}

	private View redirect(String relative) {
		RedirectView view = new RedirectView(this.path + relative, true);
		view.setExposeModelAttributes(false);
		return view;
	}

	private Optional<Job> find(String id) {
		return (this.ergate.stateStore() instanceof QueryableStateStore store) ? store.findById(id) : Optional.empty();
	}

	private View notFound(RedirectAttributes redirect, String id) {
		redirect.addFlashAttribute("error", "No job with id " + id + " is known to the state store.");
		return redirect("/jobs");
	}

	private ModelAndView missing(HttpServletRequest request, HttpServletResponse response, @Nullable String id) {
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("id", id);
		model.put("queryable", this.ergate.stateStore() instanceof QueryableStateStore);
		model.put("storeType", this.ergate.stateStore().getClass().getName());
		return this.views.page("job-missing", "jobs", request, model);
	}

}
