package io.ergate.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import io.ergate.Job;
import org.jspecify.annotations.Nullable;

/**
 * Keeps jobs off the work queue until their {@code requested_start_time}: sends them to the delay
 * queue of their remaining time, delays again those that come back early, and holds the last few
 * milliseconds in the consumer, unacknowledged. The delay queues themselves are {@link Topology}'s.
 */
final class DelayQueues {

	private final Topology topology;

	private final Publisher publisher;

	private final Clock clock;

	private final BlockingQueue<RawDelivery> handOff;

	private final AtomicLong hops = new AtomicLong();

	private @Nullable ScheduledThreadPoolExecutor holdTimer;

	private boolean closed;

	/**
	 * @param handOff where a held delivery goes back when it is due, for a worker to take
	 */
	DelayQueues(Topology topology, Publisher publisher, Clock clock, BlockingQueue<RawDelivery> handOff) {
		this.topology = topology;
		this.publisher = publisher;
		this.clock = clock;
		this.handOff = handOff;
	}

	/** @return how many milliseconds the job must still wait, 0 or less when it is due (or final) */
	long remainingMs(Job job) {
		Instant start = job.requestedStartTime();
		return (start != null && !job.status().isFinal()) ? Duration.between(this.clock.instant(), start).toMillis()
				: 0;
	}

	/**
	 * Publishes a message to the delay queue of {@code delayMs}, or straight to the work queue when
	 * that is shorter than {@link Topology#MIN_DELAY_MS}.
	 * @throws RabbitJobQueueException when the broker did not confirm it
	 */
	void publishAfter(AMQP.BasicProperties properties, byte[] body, long delayMs) {
		if (delayMs < Topology.MIN_DELAY_MS) {
			this.publisher.publish(this.topology.queue(), properties, body);
			return;
		}
		long bucket = Topology.bucket(delayMs);
		String delayQueue = this.topology.delayQueue(bucket);
		this.publisher.declareOnce(delayQueue, this.topology.delayQueueArguments(bucket));
		this.publisher.publish(delayQueue, JobMessages.withoutBrokerHeaders(properties), body);
	}

	/**
	 * Keeps a delivered job that is not due yet from a worker: republishes it to a delay queue and
	 * acknowledges it, or holds it when it is due in a few milliseconds.
	 * @return whether the job was early, and so taken care of here
	 * @throws RabbitJobQueueException when it could not be republished (it was requeued)
	 */
	boolean keepsEarly(RawDelivery raw, Job job) {
		long remaining = remainingMs(job);
		if (remaining >= Topology.MIN_DELAY_MS) {
			raw.replaceWith(() -> publishAfter(raw.properties(), raw.body(), remaining));
			this.hops.incrementAndGet();
			return true;
		}
		if (remaining > 0) {
			hold(raw, remaining + 1);
			return true;
		}
		return false;
	}

	/** Keeps a job that is due in a few milliseconds, unacknowledged, until it is due. */
	private synchronized void hold(RawDelivery raw, long delayMs) {
		if (this.closed) {
			return; // the broker requeues it when the consumers' connection closes
		}
		if (this.holdTimer == null) {
			ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "ergate-rabbitmq-hold");
				thread.setDaemon(true);
				return thread;
			});
			timer.setRemoveOnCancelPolicy(true);
			this.holdTimer = timer;
		}
		this.holdTimer.schedule(() -> this.handOff.add(raw), delayMs, TimeUnit.MILLISECONDS);
	}

	/** @return how many times a job arrived before its start time and was delayed again */
	long hops() {
		return this.hops.get();
	}

	/** @return the ready messages of the delay queues used so far, -1 when the broker cannot be asked */
	long waiting() {
		long total = 0;
		for (String delayQueue : this.publisher.declaredOnce()) {
			long count = this.publisher.messageCount(delayQueue);
			if (count < 0) {
				return -1;
			}
			total += count;
		}
		return total;
	}

	/** Stops holding jobs: those held stay unacknowledged, and the broker requeues them. */
	synchronized void close() {
		this.closed = true;
		if (this.holdTimer != null) {
			this.holdTimer.shutdownNow();
		}
	}

}
