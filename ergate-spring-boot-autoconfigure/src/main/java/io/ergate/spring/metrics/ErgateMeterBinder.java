package io.ergate.spring.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.ergate.Ergate;
import io.ergate.MeasurableJobQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Gauges of an Ergate engine: {@value #BUSY} (worker threads running a step), {@value #WORKERS} (live
 * worker loops) and, when the queue is a {@link MeasurableJobQueue}, {@value #QUEUE_DEPTH} (jobs
 * waiting) and {@value #QUEUE_OLDEST_AGE} (how long the oldest due job has waited, 0 when none).
 */
public class ErgateMeterBinder implements MeterBinder {

	/** Worker threads running a step now. */
	public static final String BUSY = "ergate.worker.busy";

	/** Live worker loops. */
	public static final String WORKERS = "ergate.worker.threads";

	/** Jobs waiting in the queue. */
	public static final String QUEUE_DEPTH = "ergate.queue.depth";

	/** Age of the oldest due job in the queue. */
	public static final String QUEUE_OLDEST_AGE = "ergate.queue.oldest.age";

	private final Ergate ergate;

	/**
	 * Creates a binder.
	 * @param ergate the engine to measure
	 */
	public ErgateMeterBinder(Ergate ergate) {
		this.ergate = Objects.requireNonNull(ergate, "ergate");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(BUSY, this.ergate, (engine) -> engine.status().busy())
			.description("Ergate worker threads running a step")
			.strongReference(true)
			.register(registry);
		Gauge.builder(WORKERS, this.ergate, (engine) -> engine.status().workers())
			.description("Live Ergate worker loops")
			.strongReference(true)
			.register(registry);
		if (this.ergate.queue() instanceof MeasurableJobQueue queue) {
			Gauge.builder(QUEUE_DEPTH, queue, ErgateMeterBinder::depth)
				.description("Jobs waiting in the Ergate queue")
				.strongReference(true)
				.register(registry);
			TimeGauge.builder(QUEUE_OLDEST_AGE, queue, TimeUnit.MILLISECONDS, ErgateMeterBinder::oldestAgeMillis)
				.description("How long the oldest due job in the Ergate queue has waited")
				.strongReference(true)
				.register(registry);
		}
	}

	private static double depth(MeasurableJobQueue queue) {
		long depth = queue.depth();
		return (depth < 0) ? Double.NaN : depth;
	}

	private static double oldestAgeMillis(MeasurableJobQueue queue) {
		Duration age = queue.oldestJobAge();
		return (age != null) ? age.toMillis() : 0;
	}

}
