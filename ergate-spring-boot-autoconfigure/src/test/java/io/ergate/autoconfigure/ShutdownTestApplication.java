package io.ergate.autoconfigure;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.ergate.ErgateWorkflow;
import io.ergate.Input;
import io.ergate.Job;
import io.ergate.Step;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application with two annotated workflows: "rendezvous", whose four jobs must run
 * their second step at the same time, and "slow", whose second step waits until the test releases
 * it. A {@link Recorder} counts every step run.
 */
final class ShutdownTestApplication {

	private ShutdownTestApplication() {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		RendezvousWorkflow rendezvousWorkflow(Recorder recorder) {
			return new RendezvousWorkflow(recorder);
		}

		@Bean
		SlowWorkflow slowWorkflow(Recorder recorder) {
			return new SlowWorkflow(recorder);
		}

	}

	/** What ran, how often, and where. */
	static class Recorder {

		final Map<String, Integer> runs = new ConcurrentHashMap<>();

		final Set<String> threads = ConcurrentHashMap.newKeySet();

		final CountDownLatch rendezvous = new CountDownLatch(4);

		final CountDownLatch slowStepEntered = new CountDownLatch(1);

		final CountDownLatch releaseSlowStep = new CountDownLatch(1);

		void ran(Job job, String step) {
			this.runs.merge(job.id() + ":" + step, 1, Integer::sum);
			this.threads.add(Thread.currentThread().getName());
		}

	}

	@ErgateWorkflow("rendezvous")
	static class RendezvousWorkflow {

		private final Recorder recorder;

		RendezvousWorkflow(Recorder recorder) {
			this.recorder = recorder;
		}

		@Step(order = 1)
		int start(@Input int value, Job job) {
			this.recorder.ran(job, "start");
			return value + 1;
		}

		@Step(order = 2)
		int meet(@Input int value, Job job) throws InterruptedException {
			this.recorder.ran(job, "meet");
			this.recorder.rendezvous.countDown();
			if (!this.recorder.rendezvous.await(15, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the four jobs did not run at the same time");
			}
			return value;
		}

		@Step(order = 3)
		int finish(@Input int value, Job job) {
			this.recorder.ran(job, "finish");
			return value * 10;
		}

	}

	@ErgateWorkflow("slow")
	static class SlowWorkflow {

		private final Recorder recorder;

		SlowWorkflow(Recorder recorder) {
			this.recorder = recorder;
		}

		@Step(order = 1)
		int before(@Input int value, Job job) {
			this.recorder.ran(job, "before");
			return value + 1;
		}

		@Step(order = 2)
		int slow(@Input int value, Job job) throws InterruptedException {
			this.recorder.ran(job, "slow");
			this.recorder.slowStepEntered.countDown();
			if (!this.recorder.releaseSlowStep.await(15, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the slow step was never released");
			}
			return value + 1;
		}

		@Step(order = 3)
		int after(@Input int value, Job job) {
			this.recorder.ran(job, "after");
			return value + 1;
		}

	}

}
