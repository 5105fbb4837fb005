package io.ergate.rabbitmq;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.ergate.Ergate;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker processes are killed with SIGKILL in the middle of their steps, three times; then another
 * process completes every job. None is lost; the steps that ran again are counted and reported.
 */
class CrashTests {

	private static final int JOBS = 200;

	private static final int KILLS = 3;

	private final TestBroker broker = TestBroker.get();

	private final String queueName = TestBroker.uniqueQueue("crash");

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void cleanUp() {
		this.processes.forEach(Process::destroyForcibly);
		this.broker.deleteQueues(this.queueName);
	}

	@Test
	void workersKilledMidStepLoseNoJob() throws Exception {
		// every line any process reports, in order per process
		Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
		Map<String, AtomicInteger> ends = new ConcurrentHashMap<>();
		Set<String> completed = ConcurrentHashMap.newKeySet();
		Consumer<String> record = (line) -> {
			String[] parts = line.split(" ");
			if (parts[0].equals("START")) {
				starts.computeIfAbsent(parts[1] + "/" + parts[2], (k) -> new AtomicInteger()).incrementAndGet();
			}
			else if (parts[0].equals("END")) {
				ends.computeIfAbsent(parts[1] + "/" + parts[2], (k) -> new AtomicInteger()).incrementAndGet();
			}
			else if (parts[0].equals("STATE") && parts[2].equals("COMPLETED")) {
				completed.add(parts[1]);
			}
		};
		try (RabbitJobQueue producer = RabbitJobQueue.builder(this.broker.connectionFactory())
			.queue(this.queueName)
			.build()) {
			for (int j = 0; j < JOBS; j++) {
				producer.put(Job.builder(CrashWorker.WORKFLOW).id("job-" + j).build());
			}
		}
		int killedMidStep = 0;
		for (int kill = 1; kill <= KILLS; kill++) {
			AtomicInteger startedHere = new AtomicInteger();
			AtomicInteger endedHere = new AtomicInteger();
			Process worker = startWorker(kill, (line) -> {
				if (line.startsWith("START")) {
					startedHere.incrementAndGet();
				}
				else if (line.startsWith("END")) {
					endedHere.incrementAndGet();
				}
				record.accept(line);
			});
			// let it run about 60 steps, then kill it while steps are running
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
				.failFast("worker " + kill + " is not running", () -> !worker.isAlive())
				.until(() -> startedHere.get() >= 60 && startedHere.get() != endedHere.get());
			worker.destroyForcibly(); // SIGKILL
			assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
			Thread.sleep(100); // the last lines it wrote
			int inFlight = startedHere.get() - endedHere.get();
			System.out.printf("[ergate-rabbitmq] worker process %d killed with SIGKILL after %d steps started, %d of them "
					+ "mid-step%n", kill, startedHere.get(), inFlight);
			killedMidStep += inFlight;
		}
		assertThat(killedMidStep).as("steps interrupted by the kills").isPositive();
		assertThat(completed).as("jobs completed by the killed workers").hasSizeLessThan(JOBS);

		InMemoryStateStore store = new InMemoryStateStore();
		try (RabbitJobQueue queue = RabbitJobQueue.builder(this.broker.connectionFactory())
			.queue(this.queueName)
			.concurrency(4)
			.build()) {
			Ergate survivor = new Ergate(queue, (job) -> {
				store.update(job);
				record.accept("STATE " + job.id() + " " + job.status());
			});
			survivor.registerWorkflow(CrashWorker.workflow(record, 1));
			survivor.start(4);
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
				.until(() -> completed.size() >= JOBS);
			// a step may still be re-running for a job a killed worker completed but did not acknowledge
			Thread.sleep(200);
			assertThat(survivor.stop(Duration.ofSeconds(10))).isTrue();
			int ranAgain = starts.values().stream().mapToInt((count) -> count.get() - 1).sum();
			System.out.printf("[ergate-rabbitmq] crash test: %d jobs, %d kills, %d steps interrupted mid-step, %d steps "
					+ "ran more than once, %d redelivered messages taken by the surviving process%n", JOBS, KILLS,
					killedMidStep, ranAgain, queue.redeliveries());
			assertThat(ranAgain).as("every interrupted step ran again").isGreaterThanOrEqualTo(killedMidStep);
			assertThat(queue.redeliveries()).isPositive();
		}
		assertThat(completed).as("every job completed").hasSize(JOBS);
		for (int j = 0; j < JOBS; j++) {
			for (int i = 1; i <= CrashWorker.STEPS; i++) {
				assertThat(ends).as("step_%d of job-%d ran to its end", i, j).containsKey("job-" + j + "/step_" + i);
			}
		}
		assertThat(this.broker.messageCount(this.queueName)).as("nothing left on the queue").isZero();
		assertThat(this.broker.messageCount(this.queueName + ".dlq")).isZero();
	}

	private Process startWorker(int number, Consumer<String> lines) throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		File errors = new File("target", "crash-worker-" + number + ".err");
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), CrashWorker.class.getName(), this.queueName, this.broker.host,
				String.valueOf(this.broker.port), this.broker.user, this.broker.password)
			.redirectError(errors);
		Process process = builder.start();
		this.processes.add(process);
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.accept(line);
				}
			}
			catch (Exception ex) {
				// the process was killed
			}
		}, "crash-worker-" + number + "-output");
		reader.setDaemon(true);
		reader.start();
		return process;
	}

}
