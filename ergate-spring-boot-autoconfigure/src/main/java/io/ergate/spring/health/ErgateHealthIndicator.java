package io.ergate.spring.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.ergate.Ergate;
import io.ergate.MeasurableJobQueue;
import io.ergate.WorkerStatus;
import io.ergate.Workflow;
import io.ergate.spring.ErgateWorker;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of an Ergate engine and its worker:
 * <ul>
 * <li>{@code UP} while the worker runs, with the threads busy and idle, the registered workflows and
 * the queue and store types;</li>
 * <li>{@code UP} with {@code "worker": "disabled"} when this application runs no worker
 * ({@code ergate.worker.enabled=false}): a node that only submits jobs is never reported out of
 * service for it;</li>
 * <li>{@code OUT_OF_SERVICE} while the worker stops (and once it has stopped);</li>
 * <li>{@code DOWN} while taking or handing on jobs keeps failing because the queue or the store
 * throws (the worker backs off and tries again), with the last error;</li>
 * <li>{@code DOWN} when an {@link ErgateHealthDetailsContributor} throws;</li>
 * <li>{@code DOWN} when every worker thread is held by a stuck step (one still running after its
 * timeout passed and its thread was interrupted): no job can go through. While some threads are
 * free, the stuck steps are listed in the details ({@code stuckSteps}) and the status stays
 * {@code UP}: the worker still runs jobs, with fewer threads.</li>
 * </ul>
 */
public class ErgateHealthIndicator extends AbstractHealthIndicator {

	private final Ergate ergate;

	private final @Nullable ErgateWorker worker;

	private final List<ErgateHealthDetailsContributor> contributors;

	/**
	 * Creates an indicator.
	 * @param ergate the engine
	 * @param worker the managed worker, {@code null} when this application runs none
	 * @param contributors add their own details
	 */
	public ErgateHealthIndicator(Ergate ergate, @Nullable ErgateWorker worker,
			List<ErgateHealthDetailsContributor> contributors) {
		super("Ergate health check failed");
		this.ergate = Objects.requireNonNull(ergate, "ergate");
		this.worker = worker;
		this.contributors = List.copyOf(contributors);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		WorkerStatus status = this.ergate.status();
		Map<String, Object> details = new LinkedHashMap<>();
		if (this.worker == null && status.state() == WorkerStatus.State.STOPPED) {
			builder.up();
			details.put("worker", "disabled");
		}
		else {
			switch (status.state()) {
				case RUNNING -> {
					if (status.consecutiveFailures() > 0
							|| (status.workers() > 0 && status.stuckSteps().size() >= status.workers())) {
						builder.down();
					}
					else {
						builder.up();
					}
				}
				case STOPPING, STOPPED -> builder.outOfService();
			}
			details.put("worker", status.state().name().toLowerCase(Locale.ROOT));
			if (this.worker != null) {
				details.put("concurrency", this.worker.getConcurrency());
			}
			details.put("threads", status.workers());
			details.put("busy", status.busy());
			details.put("idle", Math.max(0, status.workers() - status.busy()));
		}
		if (status.consecutiveFailures() > 0) {
			details.put("consecutiveFailures", status.consecutiveFailures());
			details.put("error", String.valueOf(status.lastError()));
			details.put("errorTime", String.valueOf(status.lastErrorTime()));
		}
		if (!status.stuckSteps().isEmpty()) {
			details.put("stuckSteps", status.stuckSteps());
		}
		details.put("workflows", this.ergate.workflows().stream().map(Workflow::name).toList());
		details.put("queue", this.ergate.queue().getClass().getName());
		details.put("store", this.ergate.stateStore().getClass().getName());
		if (this.ergate.queue() instanceof MeasurableJobQueue measurable) {
			long depth = measurable.depth();
			if (depth >= 0) {
				details.put("queueDepth", depth);
			}
		}
		builder.withDetails(details);
		for (ErgateHealthDetailsContributor contributor : this.contributors) {
			Map<String, Object> contributed = new LinkedHashMap<>();
			contributor.contributeDetails(contributed);
			builder.withDetails(contributed);
		}
	}

}
