package io.ergate.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.WorkerStatus;
import io.ergate.autoconfigure.ShutdownTestApplication.Recorder;
import io.ergate.spring.ErgateClient;
import io.ergate.spring.ErgateWorker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closes a running Spring Boot application, as on SIGTERM, while a step is running: the close waits
 * for the step, which completes and has its state stored; no further step starts.
 */
class GracefulCloseTests {

	@Test
	void closingTheApplicationLetsTheRunningStepFinish() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(
				ShutdownTestApplication.TestApplication.class)
			.properties("ergate.worker.concurrency=4", "spring.lifecycle.timeout-per-shutdown-phase=20s",
					"spring.main.banner-mode=off")
			.run();
		Recorder recorder = context.getBean(Recorder.class);
		InMemoryStateStore store = context.getBean(InMemoryStateStore.class);
		ErgateWorker worker = context.getBean(ErgateWorker.class);
		String slow = context.getBean(ErgateClient.class).submit("slow", 1, null);
		assertThat(recorder.slowStepEntered.await(10, TimeUnit.SECONDS)).isTrue();

		Thread closer = new Thread(context::close, "closer");
		closer.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> worker.getStatus().state() == WorkerStatus.State.STOPPING);
		closer.join(300);
		assertThat(closer.isAlive()).as("the close waits for the running step").isTrue();
		assertThat(context.isActive()).as("no bean is destroyed while the step runs").isTrue();
		recorder.releaseSlowStep.countDown();
		closer.join(Duration.ofSeconds(15).toMillis());
		assertThat(closer.isAlive()).isFalse();
		assertThat(context.isActive()).isFalse();

		Job stored = store.findById(slow).orElseThrow();
		assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
		assertThat(stored.stepName()).isEqualTo("after");
		assertThat(stored.stepsCompleted()).isEqualTo(2);
		assertThat(stored.lastReturnValue()).isEqualTo(3);
		assertThat(recorder.runs).containsEntry(slow + ":before", 1)
			.containsEntry(slow + ":slow", 1)
			.doesNotContainKey(slow + ":after");
	}

}
