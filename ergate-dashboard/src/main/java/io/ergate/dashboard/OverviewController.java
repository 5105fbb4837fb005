package io.ergate.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobQueue;
import io.ergate.JobStatus;
import io.ergate.MeasurableJobQueue;
import io.ergate.QueryableStateStore;
import io.ergate.WorkerStatus;
import io.ergate.Workflow;
import io.ergate.spring.ErgateWorker;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;

/**
 * The overview page: jobs per status and per workflow, the last hour's throughput, the queue's depth
 * and the workers; and its JSON, which the page polls to refresh its figures.
 */
@Controller
@RequestMapping("${ergate.dashboard.path:/ergate}")
final class OverviewController {

	/** How many of each workflow's newest jobs the per-workflow chart counts at most. */
	static final int WORKFLOW_SAMPLE = 1_000;

	private final Ergate ergate;

	private final @Nullable ErgateWorker worker;

	private final Throughput throughput;

	private final DashboardViews views;

	OverviewController(Ergate ergate, @Nullable ErgateWorker worker, Throughput throughput, DashboardViews views) {
		this.ergate = ergate;
		this.worker = worker;
		this.throughput = throughput;
		this.views = views;
	}

	@GetMapping({ "", "/" })
	ModelAndView overview(HttpServletRequest request) {
		Map<String, Object> model = new LinkedHashMap<>(figures());
		model.put("statusChart", statusChart());
		model.put("workflowChart", workflowChart());
		model.put("throughput", ThroughputChart.of(this.throughput.lastHour(), new Formats()));
		model.put("queueType", this.ergate.queue().getClass().getName());
		model.put("storeType", this.ergate.stateStore().getClass().getName());
		model.put("workflowSample", WORKFLOW_SAMPLE);
		return this.views.page("overview", "overview", request, model);
	}

	@GetMapping("/api/overview")
	@ResponseBody
	Map<String, Object> overviewJson() {
		return figures();
	}

	/** The figures that the page refreshes: counts, queue, workers. */
	private Map<String, Object> figures() {
		Map<String, Object> figures = new LinkedHashMap<>();
		QueryableStateStore store = queryable();
		figures.put("queryable", store != null);
		Map<String, Long> counts = new LinkedHashMap<>();
		long total = 0;
		if (store != null) {
			Map<JobStatus, Long> byStatus = store.countByStatus();
			for (JobStatus status : JobStatus.values()) {
				long count = byStatus.getOrDefault(status, 0L);
				counts.put(status.name(), count);
				total += count;
			}
		}
		figures.put("counts", counts);
		figures.put("total", total);
		JobQueue queue = this.ergate.queue();
		boolean measurable = queue instanceof MeasurableJobQueue;
		figures.put("measurable", measurable);
		if (queue instanceof MeasurableJobQueue measured) {
			long depth = measured.depth();
			Duration oldest = measured.oldestJobAge();
			figures.put("depth", (depth >= 0) ? String.valueOf(depth) : "unknown");
			figures.put("oldest", (oldest != null) ? Formats.duration(oldest) : "none waiting");
		}
		else {
			figures.put("depth", "not measurable");
			figures.put("oldest", "not measurable");
		}
		WorkerStatus status = this.ergate.status();
		figures.put("workerState", status.state().name());
		figures.put("workerEnabled", this.worker != null);
		figures.put("concurrency", (this.worker != null) ? this.worker.getConcurrency() : 0);
		figures.put("threads", status.workers());
		figures.put("busy", status.busy());
		figures.put("idle", Math.max(0, status.workers() - status.busy()));
		figures.put("consecutiveFailures", status.consecutiveFailures());
		figures.put("lastError", (status.lastError() != null) ? status.lastError() : "none");
		figures.put("lastErrorTime", new Formats().time(status.lastErrorTime()));
		return figures;
	}

	private @Nullable QueryableStateStore queryable() {
		return (this.ergate.stateStore() instanceof QueryableStateStore store) ? store : null;
	}

	private @Nullable BarChart statusChart() {
		QueryableStateStore store = queryable();
		if (store == null) {
			return null;
		}
		Map<JobStatus, Long> counts = store.countByStatus();
		List<BarChart.Input> rows = new ArrayList<>();
		for (JobStatus status : JobStatus.values()) {
			long count = counts.getOrDefault(status, 0L);
			rows.add(new BarChart.Input(status.name(),
					List.of(new BarChart.Segment(count, JobRow.statusClass(status), status.name())),
					"/jobs?status=" + status.name()));
		}
		return BarChart.of(rows);
	}

	private @Nullable BarChart workflowChart() {
		QueryableStateStore store = queryable();
		if (store == null) {
			return null;
		}
		List<BarChart.Input> rows = new ArrayList<>();
		for (Workflow workflow : this.ergate.workflows()) {
			Map<JobStatus, Long> counts = new LinkedHashMap<>();
			for (Job job : store.findJobs(workflow.name(), null, 0, WORKFLOW_SAMPLE)) {
				counts.merge(job.status(), 1L, Long::sum);
			}
			List<BarChart.Segment> segments = new ArrayList<>();
			for (JobStatus status : JobStatus.values()) {
				segments.add(new BarChart.Segment(counts.getOrDefault(status, 0L), JobRow.statusClass(status),
						status.name()));
			}
			rows.add(new BarChart.Input(workflow.name(), segments, "/jobs?workflow=" + Formats.query(workflow.name())));
		}
		return BarChart.of(rows);
	}

}
