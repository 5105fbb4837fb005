package io.ergate.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import io.ergate.memory.InMemoryJobQueue;
import io.ergate.Job;

/**
 * Heap used by queued jobs in the in-memory queue.
 */
final class HeapScenario {

	private HeapScenario() {
	}

	static void run(int jobs) throws Exception {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long before = settledHeap(memory);
		InMemoryJobQueue queue = new InMemoryJobQueue();
		Workloads.fill(queue, jobs);
		long after = settledHeap(memory);
		double megabytes = (after - before) / 1024.0 / 1024.0;
		double perMillion = megabytes * 1_000_000 / jobs;
		Figures.print("scenario=heap jobs=" + jobs + " heap_mb=" + Figures.format(megabytes)
				+ " heap_mb_per_million=" + Figures.format(perMillion) + " bytes_per_job="
				+ Figures.format((after - before) / (double) jobs) + " steps_per_sec=na p50_us=na p99_us=na"
				+ " ratio_to_baseline=na target=heap_mb_per_million<=400 met=" + ((perMillion <= 400) ? "yes" : "no")
				+ " queued=" + queue.size());
		Job probe = queue.getOne();
		if (probe == null) {
			throw new IllegalStateException();
		}
	}

	private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(100);
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}
