package io.ergate.rabbitmq;

import java.util.HashMap;
import java.util.Map;

/**
 * The names and arguments of the queues one {@link RabbitJobQueue} uses: the work queue, its
 * dead-letter queue and the delay queues.
 * <p>
 * A delay queue holds messages for a fixed time (its {@code x-message-ttl}, a power of two in
 * milliseconds), then the broker dead-letters them into the work queue. Because every message of a
 * delay queue has the same time to live, the head of the queue always expires first, so none waits
 * behind a later one. A job is delayed in the largest delay queue not longer than its remaining delay
 * and, when it reaches the work queue still early, delayed again for the rest: it is never delivered
 * early, and late only by the broker's and the consumer's latency.
 */
final class Topology {

	/** Below this many milliseconds of delay a job is held by the consumer rather than re-delayed. */
	static final long MIN_DELAY_MS = 16;

	/** The longest delay queue: 2^25 ms, about 9.3 hours. Longer delays hop through it again. */
	static final long MAX_DELAY_MS = 1L << 25;

	private final String queue;

	private final String deadLetterQueue;

	private final RabbitJobQueue.QueueType type;

	Topology(String queue, String deadLetterQueue, RabbitJobQueue.QueueType type) {
		this.queue = queue;
		this.deadLetterQueue = deadLetterQueue;
		this.type = type;
	}

	String queue() {
		return this.queue;
	}

	String deadLetterQueue() {
		return this.deadLetterQueue;
	}

	RabbitJobQueue.QueueType type() {
		return this.type;
	}

	Map<String, Object> workQueueArguments() {
		Map<String, Object> arguments = typeArguments();
		// safety net: a message rejected without requeue, or over a quorum delivery limit, is kept
		arguments.put("x-dead-letter-exchange", "");
		arguments.put("x-dead-letter-routing-key", this.deadLetterQueue);
		return arguments;
	}

	Map<String, Object> deadLetterQueueArguments() {
		return typeArguments();
	}

	/**
	 * Returns the delay queue for a remaining delay: the largest power of two of milliseconds that
	 * is not longer than it, capped at {@link #MAX_DELAY_MS}.
	 * @param remainingMs at least {@link #MIN_DELAY_MS}
	 */
	static long bucket(long remainingMs) {
		long capped = Math.min(Math.max(remainingMs, MIN_DELAY_MS), MAX_DELAY_MS);
		return Long.highestOneBit(capped);
	}

	String delayQueue(long bucketMs) {
		return this.queue + ".delay." + bucketMs;
	}

	Map<String, Object> delayQueueArguments(long bucketMs) {
		Map<String, Object> arguments = typeArguments();
		arguments.put("x-message-ttl", bucketMs);
		arguments.put("x-dead-letter-exchange", "");
		arguments.put("x-dead-letter-routing-key", this.queue);
		if (this.type == RabbitJobQueue.QueueType.QUORUM) {
			// the broker moves expired messages with confirms between the two queues: none is lost
			arguments.put("x-dead-letter-strategy", "at-least-once");
			arguments.put("x-overflow", "reject-publish");
		}
		return arguments;
	}

	private Map<String, Object> typeArguments() {
		Map<String, Object> arguments = new HashMap<>();
		arguments.put("x-queue-type", (this.type == RabbitJobQueue.QueueType.QUORUM) ? "quorum" : "classic");
		return arguments;
	}

}
