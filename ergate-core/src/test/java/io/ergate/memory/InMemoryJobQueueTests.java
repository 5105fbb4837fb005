package io.ergate.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.Job;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InMemoryJobQueueTests {

	private final InMemoryJobQueue queue = new InMemoryJobQueue();

	@Test
	void eightProducersAndEightConsumersLoseAndDuplicateNothing() throws Exception {
		int perProducer = 20_000;
		int threads = 8;
		Set<Object> seen = ConcurrentHashMap.newKeySet();
		AtomicInteger duplicates = new AtomicInteger();
		AtomicInteger taken = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int p = 0; p < threads; p++) {
			int producer = p;
			futures.add(pool.submit(() -> {
				start.await();
				for (int i = 0; i < perProducer; i++) {
					this.queue.put(Job.builder("wf").id(producer + "-" + i).build());
				}
				return null;
			}));
		}
		for (int c = 0; c < threads; c++) {
			futures.add(pool.submit(() -> {
				start.await();
				while (taken.get() < threads * perProducer) {
					Job job = this.queue.getOne();
					taken.incrementAndGet();
					if (!seen.add(job.id())) {
						duplicates.incrementAndGet();
					}
					if (job.id().equals("stop")) {
						return null;
					}
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures.subList(0, threads)) {
			future.get(30, TimeUnit.SECONDS);
		}
		try {
			await().alias("every job put taken")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> taken.get() >= threads * perProducer);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(seen).hasSize(threads * perProducer);
		assertThat(duplicates).hasValue(0);
		assertThat(this.queue.size()).isZero();
	}

	@Test
	void delayedJobsComeOutInDueOrderAndNotBefore() throws Exception {
		Instant now = Instant.now();
		this.queue.put(Job.builder("wf").id("late").requestedStartTime(now.plusMillis(400)).build());
		this.queue.put(Job.builder("wf").id("soon").requestedStartTime(now.plusMillis(200)).build());
		this.queue.put(Job.builder("wf").id("now").build());
		assertThat(this.queue.delayedSize()).isEqualTo(2);
		assertThat(this.queue.getOne().id()).isEqualTo("now");
		Job soon = this.queue.getOne();
		Instant soonAt = Instant.now();
		Job late = this.queue.getOne();
		Instant lateAt = Instant.now();
		assertThat(soon.id()).isEqualTo("soon");
		assertThat(late.id()).isEqualTo("late");
		assertThat(soonAt).isAfterOrEqualTo(now.plusMillis(200)).isBefore(now.plusMillis(300));
		assertThat(lateAt).isAfterOrEqualTo(now.plusMillis(400)).isBefore(now.plusMillis(500));
	}

	@Test
	void aSleeperWakesForAnEarlierDelayedJobAndOtherWaitersAreNotForgotten() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(3);
		try {
			List<Future<Job>> takers = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				takers.add(pool.submit(this.queue::getOne));
			}
			Thread.sleep(50);
			Instant now = Instant.now();
			this.queue.put(Job.builder("wf").id("d1").requestedStartTime(now.plus(Duration.ofMillis(300))).build());
			this.queue.put(Job.builder("wf").id("d2").requestedStartTime(now.plus(Duration.ofMillis(150))).build());
			this.queue.put(Job.builder("wf").id("r").build());
			Set<Object> ids = ConcurrentHashMap.newKeySet();
			for (Future<Job> taker : takers) {
				ids.add(taker.get(2, TimeUnit.SECONDS).id());
			}
			assertThat(ids).containsExactlyInAnyOrder("d1", "d2", "r");
			assertThat(Instant.now()).isAfterOrEqualTo(now.plusMillis(300));
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void getOneIsInterruptible() throws Exception {
		Thread taker = new Thread(() -> {
			try {
				this.queue.getOne();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		taker.start();
		Thread.sleep(50);
		taker.interrupt();
		taker.join(2000);
		assertThat(taker.isAlive()).isFalse();
	}

}
