package io.ergate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A state store for tests that keeps every update, per job id, in order.
 */
class RecordingStateStore implements StateStore {

	private final Map<Object, List<Job>> updates = new ConcurrentHashMap<>();

	@Override
	public void update(Job job) {
		this.updates.computeIfAbsent(job.id(), (id) -> java.util.Collections.synchronizedList(new ArrayList<>()))
			.add(job);
	}

	List<Job> updates(Object id) {
		return List.copyOf(this.updates.getOrDefault(id, List.of()));
	}

	/** The states recorded after each step (not the RUNNING ones, nor the submitted one). */
	List<Job> afterSteps(Object id) {
		List<Job> all = updates(id);
		List<Job> after = new ArrayList<>();
		for (int i = 1; i < all.size(); i++) {
			if (all.get(i - 1).status() == JobStatus.RUNNING && all.get(i).status() != JobStatus.RUNNING) {
				after.add(all.get(i));
			}
		}
		return after;
	}

	Job last(Object id) {
		List<Job> all = updates(id);
		return all.get(all.size() - 1);
	}

	Map<Object, List<Job>> all() {
		return this.updates;
	}

}
