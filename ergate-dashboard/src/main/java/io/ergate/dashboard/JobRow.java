package io.ergate.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.JobTransition;
import org.jspecify.annotations.Nullable;

/**
 * One job as a row of the job list (and of its JSON for the browser's refresh): what the page shows
 * of it, already formatted.
 *
 * @param id the job's id, as text
 * @param workflow its workflow
 * @param status its status's name
 * @param statusClass the CSS class of its status badge
 * @param step its current step, {@code ""} when none
 * @param percent its {@code percent_completed}, from 0 to 100
 * @param percentText the percent, formatted
 * @param attempt which run of its current step it is ({@link Job#attempt()}: 1 unless retried)
 * @param age how long ago it was first recorded, {@code ""} when the store keeps no history
 * @param isFinal whether its status is final
 * @param href the path of its page, below the dashboard's
 */
record JobRow(String id, String workflow, String status, String statusClass, String step, double percent,
		String percentText, int attempt, String age, boolean isFinal, String href) {

	static JobRow of(Job job, List<JobTransition> history, Instant now) {
		@Nullable Instant first = history.isEmpty() ? null : history.get(0).time();
		return new JobRow(String.valueOf(job.id()), job.workflowName(), job.status().name(), statusClass(job.status()),
				(job.stepName() != null) ? job.stepName() : "", clamp(job.percentCompleted()),
				Formats.percent(job.percentCompleted()), attempt(job),
				(first != null) ? Formats.duration(Duration.between(first, now)) : "", job.status().isFinal(),
				"/jobs/" + Formats.segment(String.valueOf(job.id())));
	}

	static String statusClass(JobStatus status) {
		return "status-" + status.name().toLowerCase(Locale.ROOT);
	}

	static int attempt(Job job) {
		return job.attempt();
	}

	private static double clamp(double percent) {
		return Double.isNaN(percent) ? 0 : Math.max(0, Math.min(100, percent));
	}

}
