package io.ergate.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * The end-to-end harness: runs the scenarios named on the command line (all by default) and prints
 * one machine-readable line per figure.
 * <pre>
 * java -cp ... io.ergate.benchmarks.BenchMain [--quick] [inmemory] [json] [latency] [heap] [jdbc] [rabbitmq]
 * </pre>
 */
public final class BenchMain {

	private BenchMain() {
	}

	/**
	 * Runs the benchmarks.
	 * @param args {@code --quick} for short runs, then the scenarios to run
	 * @throws Exception when a scenario fails
	 */
	public static void main(String[] args) throws Exception {
		boolean quick = Arrays.asList(args).contains("--quick");
		List<String> scenarios = Arrays.stream(args).filter((arg) -> !arg.startsWith("--")).toList();
		if (scenarios.isEmpty()) {
			scenarios = List.of("inmemory", "json", "latency", "heap", "jdbc", "rabbitmq");
		}
		int rounds = quick ? 3 : 5;
		int concurrency = Integer.getInteger("ergate.bench.concurrency", Runtime.getRuntime().availableProcessors());
		Figures.print("# jvm=" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
				+ " cpus=" + Runtime.getRuntime().availableProcessors() + " max_heap_mb="
				+ Runtime.getRuntime().maxMemory() / 1024 / 1024 + " quick=" + quick);
		for (String scenario : scenarios) {
			switch (scenario) {
				case "inmemory" -> {
					int jobs = quick ? 200_000 : 1_000_000;
					for (int steps : new int[] { 3, 10 }) {
						int n = jobs * 3 / steps;
						Throughput.compare("inmemory", "steps=" + steps + " jobs=" + n + " concurrency=" + concurrency,
								rounds, () -> InMemoryScenario.baseline(n, steps, concurrency),
								() -> InMemoryScenario.engine(n, steps, concurrency), 2_000_000, 0.5);
					}
				}
				case "json" -> {
					int jobs = quick ? 100_000 : 300_000;
					Throughput.compare("json", "steps=3 jobs=" + jobs + " concurrency=" + concurrency, rounds,
							() -> JsonScenario.baseline(jobs, 3, concurrency),
							() -> JsonScenario.engine(jobs, 3, concurrency), 1_000_000, 0.5);
				}
				case "jdbc" -> {
					int jobs = quick ? 2_000 : 3_000;
					java.time.Duration window = java.time.Duration.ofSeconds(quick ? 2 : 6);
					for (int workers : new int[] { 2, 4, 8 }) {
						Throughput.compare("jdbc", "steps=3 jobs=" + jobs + " concurrency=" + workers + " connections="
								+ workers, quick ? 2 : 3, () -> JdbcScenario.baseline(window, workers),
								() -> JdbcScenario.engine(jobs, 3, workers), 0, 1.0);
					}
				}
				case "rabbitmq" -> {
					int jobs = quick ? 1_000 : 3_000;
					int workers = Integer.getInteger("ergate.bench.rabbitmq.concurrency", 4);
					Throughput.compare("rabbitmq", "steps=3 jobs=" + jobs + " concurrency=" + workers + " prefetch="
							+ workers, quick ? 2 : 3, () -> RabbitScenario.baseline(jobs, 3, workers),
							() -> RabbitScenario.engine(jobs, 3, workers), 0, 0.5);
				}
				case "latency" -> LatencyScenario.run(quick ? 20_000 : 100_000, 3, 1);
				case "heap" -> HeapScenario.run(1_000_000);
				default -> throw new IllegalArgumentException("Unknown scenario " + scenario
						+ " (known: inmemory, json, latency, heap, jdbc, rabbitmq)");
			}
		}
	}

}
