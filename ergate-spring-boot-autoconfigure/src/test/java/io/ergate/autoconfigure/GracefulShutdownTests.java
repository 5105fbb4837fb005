package io.ergate.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.WorkerStatus;
import io.ergate.autoconfigure.ShutdownTestApplication.Recorder;
import io.ergate.spring.ErgateClient;
import io.ergate.spring.ErgateWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole Spring Boot application: multi-step workflows run end to end on four workers; then the
 * application's lifecycle is stopped (the shutdown path of the worker) while a step is running: the
 * stop waits, the step completes, its state is stored, no further step starts and nothing runs
 * twice; once started again the job finishes. {@link GracefulCloseTests} closes the application
 * for real.
 */
@SpringBootTest(classes = ShutdownTestApplication.TestApplication.class,
		properties = { "ergate.worker.concurrency=4", "spring.lifecycle.timeout-per-shutdown-phase=20s" })
@DirtiesContext
class GracefulShutdownTests {

	@Autowired
	private ConfigurableApplicationContext context;

	@Autowired
	private ErgateClient client;

	@Autowired
	private InMemoryStateStore store;

	@Autowired
	private ErgateWorker worker;

	@Autowired
	private Recorder recorder;

	@Test
	void runsJobsOnFourWorkersThenStopsGracefullyWhileAStepRuns() throws Exception {
		assertThat(this.worker.isRunning()).isTrue();
		assertThat(this.worker.getConcurrency()).isEqualTo(4);

		// four jobs meet in their second step: only four concurrent workers let them all through
		List<String> ids = IntStream.range(0, 4).mapToObj((i) -> this.client.submit("rendezvous", i, null)).toList();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ids.stream().allMatch((id) -> status(id) == JobStatus.COMPLETED));
		for (int i = 0; i < ids.size(); i++) {
			Job job = this.store.findById(ids.get(i)).orElseThrow();
			assertThat(job.lastReturnValue()).isEqualTo((i + 1) * 10);
			assertThat(job.stepsCompleted()).isEqualTo(3);
			assertThat(job.percentCompleted()).isEqualTo(100.0);
		}
		assertThat(this.recorder.threads).hasSize(4).allMatch((name) -> name.startsWith("ergate-worker-"));

		// a job whose second step is running when the lifecycle stops
		String slow = this.client.submit("slow", 1, null);
		assertThat(this.recorder.slowStepEntered.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(status(slow)).isEqualTo(JobStatus.RUNNING);
		Thread stopper = new Thread(this.context::stop, "stopper");
		stopper.start();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.worker.getStatus().state() == WorkerStatus.State.STOPPING);
		stopper.join(300);
		assertThat(stopper.isAlive()).as("the stop waits for the running step").isTrue();
		this.recorder.releaseSlowStep.countDown();
		stopper.join(Duration.ofSeconds(15).toMillis());
		assertThat(stopper.isAlive()).isFalse();
		assertThat(this.worker.isRunning()).isFalse();
		assertThat(this.worker.getStatus().state()).isEqualTo(WorkerStatus.State.STOPPED);

		Job stored = this.store.findById(slow).orElseThrow();
		assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
		assertThat(stored.stepName()).isEqualTo("after");
		assertThat(stored.stepsCompleted()).isEqualTo(2);
		assertThat(stored.lastReturnValue()).isEqualTo(3);
		Thread.sleep(200);
		assertThat(this.recorder.runs).containsEntry(slow + ":before", 1)
			.containsEntry(slow + ":slow", 1)
			.doesNotContainKey(slow + ":after");

		// started again, the worker runs the last step, once
		this.context.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> status(slow) == JobStatus.COMPLETED);
		assertThat(this.store.findById(slow).orElseThrow().lastReturnValue()).isEqualTo(4);
		assertThat(this.recorder.runs).containsEntry(slow + ":after", 1);
		assertThat(this.recorder.runs.values()).allMatch((count) -> count == 1);
		assertThat(this.recorder.runs).hasSize(4 * 3 + 3);
	}

	private JobStatus status(String id) {
		return this.store.findById(id).map(Job::status).orElseThrow();
	}

}
