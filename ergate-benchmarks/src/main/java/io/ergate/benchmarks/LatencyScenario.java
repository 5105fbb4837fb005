package io.ergate.benchmarks;

import java.time.Duration;

import io.ergate.Ergate;
import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.Workflow;

/**
 * The {@code latency} scenario: one job at a time on the in-memory queue; submit to first step start,
 * and end of a step to start of the next.
 */
final class LatencyScenario {

	private LatencyScenario() {
	}

	private static final class Clock {

		volatile long submitted;

		long lastEnd;

		final long[] submitToStart;

		final long[] stepToStep;

		int starts;

		int hops;

		volatile boolean finished;

		Clock(int jobs, int steps) {
			this.submitToStart = new long[jobs];
			this.stepToStep = new long[jobs * (steps - 1)];
		}

	}

	static void run(int jobs, int steps, int concurrency) throws Exception {
		Clock clock = new Clock(jobs, steps);
		Workflow.Builder builder = Workflow.builder("latency");
		for (int i = 1; i <= steps; i++) {
			int index = i;
			builder.step("step_" + i, Integer.class, (in) -> {
				long now = System.nanoTime();
				if (index == 1) {
					if (clock.starts < clock.submitToStart.length) {
						clock.submitToStart[clock.starts++] = now - clock.submitted;
					}
				}
				else if (clock.hops < clock.stepToStep.length) {
					clock.stepToStep[clock.hops++] = now - clock.lastEnd;
				}
				if (index == steps) {
					clock.finished = true;
				}
				clock.lastEnd = System.nanoTime();
				return in + 1;
			});
		}
		InMemoryJobQueue queue = new InMemoryJobQueue();
		Ergate ergate = new Ergate(queue, new InMemoryStateStore()).registerWorkflow(builder.build());
		ergate.start(concurrency);
		int warmup = Math.min(20_000, jobs);
		try {
			for (int i = 0; i < warmup + jobs; i++) {
				if (i == warmup) {
					clock.starts = 0;
					clock.hops = 0;
				}
				clock.finished = false;
				clock.submitted = System.nanoTime();
				queue.put(Job.builder("latency").id(i).initialInputValue(i).build());
				while (!clock.finished) {
					Thread.onSpinWait();
				}
				// let the worker record the final state and park again, as between real submissions
				long pause = System.nanoTime() + 20_000;
				while (System.nanoTime() < pause) {
					Thread.onSpinWait();
				}
			}
		}
		finally {
			ergate.stop(Duration.ofSeconds(10));
		}
		double submitP99 = Figures.percentileMicros(clock.submitToStart, clock.starts, 99);
		double submitP50 = Figures.percentileMicros(clock.submitToStart, clock.starts, 50);
		double hopP50 = Figures.percentileMicros(clock.stepToStep, clock.hops, 50);
		double hopP99 = Figures.percentileMicros(clock.stepToStep, clock.hops, 99);
		Figures.print("scenario=latency measure=submit_to_first_step concurrency=" + concurrency + " jobs=" + jobs
				+ " steps_per_sec=na p50_us=" + Figures.format(submitP50) + " p99_us=" + Figures.format(submitP99)
				+ " ratio_to_baseline=na target=p99_us<=1000 met=" + ((submitP99 <= 1000) ? "yes" : "no"));
		Figures.print("scenario=latency measure=step_to_next_step concurrency=" + concurrency + " jobs=" + jobs
				+ " steps_per_sec=na p50_us=" + Figures.format(hopP50) + " p99_us=" + Figures.format(hopP99)
				+ " ratio_to_baseline=na target=p50_us<=50 met=" + ((hopP50 <= 50) ? "yes" : "no"));
	}

}
