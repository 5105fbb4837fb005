package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.Workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Drains jobs of a five-step workflow with several independent engines, counting every step run. */
final class Drain {

	static final int STEPS = 5;

	private Drain() {
	}

	static DrainResult run(DataSource dataSource, JdbcOptions options, int jobs, int instances,
			int workersPerInstance) throws Exception {
		List<DataSource> dataSources = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			dataSources.add(dataSource);
		}
		return run(dataSources, options, jobs, workersPerInstance);
	}

	/** One engine per data source, each with its own queue and store. */
	static DrainResult run(List<DataSource> dataSources, JdbcOptions options, int jobs, int workersPerInstance)
			throws Exception {
		Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
		Workflow.Builder builder = Workflow.builder("drain5");
		for (int s = 1; s <= STEPS; s++) {
			String step = "s" + s;
			builder.step(step, (context) -> {
				runs.computeIfAbsent(context.job().id() + "/" + step, (k) -> new AtomicInteger()).incrementAndGet();
				return step;
			});
		}
		Workflow workflow = builder.build();
		try (JdbcJobQueue producer = new JdbcJobQueue(dataSources.get(0), options)) {
			List<Job> batch = new ArrayList<>();
			for (int i = 0; i < jobs; i++) {
				batch.add(Job.builder("drain5").id("d" + i).initialInputValue(i).build());
				if (batch.size() == 500) {
					producer.putAll(batch);
					batch.clear();
				}
			}
			producer.putAll(batch);
		}
		JdbcStateStore reader = new JdbcStateStore(dataSources.get(0), options);
		List<Ergate> engines = new ArrayList<>();
		List<JdbcJobQueue> queues = new ArrayList<>();
		long start = System.nanoTime();
		for (DataSource dataSource : dataSources) {
			JdbcJobQueue queue = new JdbcJobQueue(dataSource, options);
			queues.add(queue);
			Ergate engine = new Ergate(queue, new JdbcStateStore(dataSource, options));
			engine.registerWorkflow(workflow);
			engine.start(workersPerInstance);
			engines.add(engine);
		}
		long completed;
		Duration elapsed;
		try {
			completed = await().alias(jobs + " jobs drained")
				.atMost(Duration.ofMinutes(3))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> reader.countByStatus().getOrDefault(JobStatus.COMPLETED, 0L), (count) -> count >= jobs);
			elapsed = Duration.ofNanos(System.nanoTime() - start);
		}
		finally {
			for (Ergate engine : engines) {
				engine.stop(Duration.ofSeconds(10));
			}
			for (JdbcJobQueue queue : queues) {
				queue.close();
			}
		}
		DataSource dataSource = dataSources.get(0);
		return new DrainResult(jobs, elapsed, completed, runs,
				count(dataSource, "SELECT COUNT(*) FROM " + options.table("queue")),
				count(dataSource, "SELECT COUNT(*) FROM " + options.table("job") + " WHERE status = 'COMPLETED' "
						+ "AND steps_completed = " + STEPS + " AND percent_completed = 100"),
				dataSources.size(), workersPerInstance);
	}

	static long count(DataSource dataSource, String sql) {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet rows = statement.executeQuery()) {
			rows.next();
			return rows.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	record DrainResult(int jobs, Duration elapsed, long completed, Map<String, AtomicInteger> runs, long queueRows,
			long completedFiveSteps, int instances, int workersPerInstance) {

		double jobsPerSecond() {
			return this.jobs / (this.elapsed.toNanos() / 1e9);
		}

		double stepsPerSecond() {
			return this.jobs * STEPS / (this.elapsed.toNanos() / 1e9);
		}

		void assertComplete() {
			assertThat(this.completed).as("jobs COMPLETED").isEqualTo(this.jobs);
			assertThat(this.completedFiveSteps).as("jobs COMPLETED after 5 steps at 100%").isEqualTo(this.jobs);
			assertThat(this.runs).as("distinct (job, step) runs").hasSize(this.jobs * STEPS);
			assertThat(this.runs.values()).as("runs per (job, step)").allMatch((count) -> count.get() == 1);
			assertThat(this.queueRows).as("rows left in the queue").isZero();
		}

		@Override
		public String toString() {
			long duplicates = this.runs.values().stream().mapToLong((c) -> c.get() - 1).sum();
			return String.format("%d jobs x %d steps with %d engines x %d workers in %d ms: %.0f jobs/s, %.0f steps/s "
					+ "(completed %d, steps run twice %d, rows left %d)", this.jobs, STEPS, this.instances,
					this.workersPerInstance, this.elapsed.toMillis(), jobsPerSecond(), stepsPerSecond(), this.completed,
					duplicates, this.queueRows);
		}

	}

}
