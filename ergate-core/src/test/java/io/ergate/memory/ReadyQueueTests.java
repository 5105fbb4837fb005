package io.ergate.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyQueueTests {

	@Test
	void firstInFirstOutAcrossManyChunks() throws Exception {
		ReadyQueue<Integer> queue = new ReadyQueue<>();
		int count = ReadyQueue.CHUNK * 5 + 17;
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < count; i++) {
				queue.offer(i);
			}
			assertThat(queue.size()).isEqualTo(count);
			for (int i = 0; i < count; i++) {
				assertThat(queue.take()).isEqualTo(i);
			}
			assertThat(queue.poll()).isNull();
			assertThat(queue.size()).isZero();
		}
	}

	@Test
	void pollWaitsAtMostTheTimeoutAndTakeWaitsForAnOffer() throws Exception {
		ReadyQueue<String> queue = new ReadyQueue<>();
		long start = System.nanoTime();
		assertThat(queue.poll(50, TimeUnit.MILLISECONDS)).isNull();
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
		AtomicReference<String> taken = new AtomicReference<>();
		Thread taker = new Thread(() -> {
			try {
				taken.set(queue.take());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		taker.start();
		Thread.sleep(50);
		assertThat(taker.isAlive()).isTrue();
		queue.offer("x");
		taker.join(5_000);
		assertThat(taken.get()).isEqualTo("x");
		Thread poller = new Thread(() -> {
			try {
				taken.set(queue.poll(10, TimeUnit.SECONDS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		poller.start();
		Thread.sleep(50);
		queue.offer("y");
		poller.join(5_000);
		assertThat(taken.get()).isEqualTo("y");
	}

	@Test
	void takeIsInterruptible() throws Exception {
		ReadyQueue<String> queue = new ReadyQueue<>();
		CountDownLatch interrupted = new CountDownLatch(1);
		Thread taker = new Thread(() -> {
			try {
				queue.take();
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		taker.start();
		Thread.sleep(50);
		taker.interrupt();
		assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void producersAndBlockingConsumersLoseAndDuplicateNothing() throws Exception {
		ReadyQueue<Integer> queue = new ReadyQueue<>();
		int producers = 4;
		int consumers = 4;
		int perProducer = 50_000;
		Integer stop = -1;
		ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
		AtomicInteger duplicates = new AtomicInteger();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		int[][] lastSeenPerProducer = new int[consumers][producers];
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < consumers; c++) {
			int consumer = c;
			java.util.Arrays.fill(lastSeenPerProducer[consumer], -1);
			threads.add(new Thread(() -> {
				try {
					while (true) {
						Integer value = (consumer % 2 == 0) ? queue.take() : queue.poll(1, TimeUnit.MILLISECONDS);
						if (value == null) {
							continue;
						}
						if (value.equals(stop)) {
							return;
						}
						if (seen.put(value, Boolean.TRUE) != null) {
							duplicates.incrementAndGet();
						}
						// one producer's elements come out in the order it offered them
						int producer = value / perProducer;
						if (value % perProducer <= lastSeenPerProducer[consumer][producer]) {
							throw new AssertionError("out of order: " + value);
						}
						lastSeenPerProducer[consumer][producer] = value % perProducer;
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}));
		}
		List<Thread> producing = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			int base = p * perProducer;
			producing.add(new Thread(() -> {
				for (int i = 0; i < perProducer; i++) {
					queue.offer(base + i);
					if (i % 1000 == 0) {
						Thread.yield();
					}
				}
			}));
		}
		threads.forEach(Thread::start);
		producing.forEach(Thread::start);
		for (Thread producer : producing) {
			producer.join();
		}
		for (int c = 0; c < consumers; c++) {
			queue.offer(stop);
		}
		for (Thread consumer : threads) {
			consumer.join(30_000);
			assertThat(consumer.isAlive()).isFalse();
		}
		assertThat(failure.get()).isNull();
		assertThat(duplicates).hasValue(0);
		assertThat(seen).hasSize(producers * perProducer);
		assertThat(queue.size()).isZero();
	}

}
