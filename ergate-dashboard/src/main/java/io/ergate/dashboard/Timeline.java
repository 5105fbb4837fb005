package io.ergate.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.ergate.JobTransition;

/**
 * A job's timeline: each state it went through, with how long it stayed in it (until the next one, or
 * until now for the current state of a job that is not final), and the share of the whole that each
 * took, for the coloured bar above the table.
 *
 * @param entries the states, oldest first
 * @param total how long the whole timeline lasted, as text
 */
record Timeline(List<Entry> entries, String total) {

	static Timeline of(List<JobTransition> history, boolean isFinal, Instant now) {
		List<Entry> entries = new ArrayList<>();
		if (history.isEmpty()) {
			return new Timeline(entries, "");
		}
		Instant start = history.get(0).time();
		Instant end = isFinal ? history.get(history.size() - 1).time() : now;
		long totalMillis = Math.max(1, Duration.between(start, end).toMillis());
		for (int i = 0; i < history.size(); i++) {
			JobTransition transition = history.get(i);
			boolean last = i == history.size() - 1;
			Instant until = last ? end : history.get(i + 1).time();
			Duration stayed = Duration.between(transition.time(), until);
			String duration = (last && isFinal) ? "final" : Formats.duration(stayed) + (last ? " so far" : "");
			double share = (last && isFinal) ? 0 : Math.max(0, stayed.toMillis()) * 100.0 / totalMillis;
			entries.add(new Entry(transition.status().name(), JobRow.statusClass(transition.status()),
					(transition.stepName() != null) ? transition.stepName() : "", transition.stepsCompleted(),
					Formats.percent(transition.percentCompleted()), transition.time(), duration,
					Math.round(share * 100) / 100.0));
		}
		return new Timeline(entries, Formats.duration(Duration.between(start, end)));
	}

	/**
	 * One state of the job.
	 * @param status its status
	 * @param statusClass the CSS class of its badge
	 * @param step the step
	 * @param stepsCompleted the steps completed
	 * @param percent the progress, formatted
	 * @param time when it was recorded
	 * @param duration how long the job stayed in it, formatted
	 * @param share its share of the timeline's bar, in percent
	 */
	record Entry(String status, String statusClass, String step, int stepsCompleted, String percent, Instant time,
			String duration, double share) {

	}

}
