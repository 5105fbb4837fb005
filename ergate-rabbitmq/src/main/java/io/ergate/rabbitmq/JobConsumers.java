package io.ergate.rabbitmq;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumers of the work queue in this process: started on a connection of their own on the first
 * take, each {@link JobConsumer} on a channel with its prefetch, replaced when the broker cancels one;
 * their deliveries wait in one hand-off queue until a worker takes them.
 */
final class JobConsumers {

	private static final Logger logger = LoggerFactory.getLogger(JobConsumers.class);

	private final Connector connector;

	private final Topology topology;

	private final int count;

	private final int prefetch;

	/** Declares the work and dead-letter queues again, or does nothing when the queue does not declare. */
	private final Runnable redeclare;

	/** Throws when the queue is closed. */
	private final Runnable checkOpen;

	private final LinkedBlockingQueue<RawDelivery> handOff = new LinkedBlockingQueue<>();

	private final List<JobConsumer> consumers = new CopyOnWriteArrayList<>();

	private volatile @Nullable Connection connection;

	/** Whether the consumers run and none is known cancelled: then a take needs no lock. */
	private volatile boolean consuming;

	private boolean closed;

	JobConsumers(Connector connector, Topology topology, int count, int prefetch, Runnable redeclare,
			Runnable checkOpen) {
		this.connector = connector;
		this.topology = topology;
		this.count = count;
		this.prefetch = prefetch;
		this.redeclare = redeclare;
		this.checkOpen = checkOpen;
	}

	/** @return the queue the consumers hand their deliveries to */
	BlockingQueue<RawDelivery> handOff() {
		return this.handOff;
	}

	/**
	 * Returns the next delivery of a channel still open, blocking (without polling) until there is
	 * one; starts the consumers first when they do not run, and replaces those the broker cancelled.
	 * @throws InterruptedException when the waiting thread is interrupted
	 * @throws RabbitJobQueueException when the consumers cannot start
	 */
	RawDelivery next() throws InterruptedException {
		if (!this.consuming) {
			start();
		}
		while (true) {
			RawDelivery raw = this.handOff.take();
			if (raw.isCancellation()) {
				restartCancelled();
				continue;
			}
			if (raw.isCurrent()) {
				return raw;
			}
			// its channel was lost: the broker delivers it again
		}
	}

	private synchronized void start() {
		this.checkOpen.run();
		if (!this.consumers.isEmpty()) {
			restartCancelled();
			return;
		}
		Connection connection = this.connector.open("consume");
		try {
			for (int i = 0; i < this.count; i++) {
				this.consumers.add(consume(connection));
			}
		}
		catch (IOException | RuntimeException ex) {
			this.consumers.clear();
			Connector.closeQuietly(connection);
			if (ex instanceof RabbitJobQueueException rabbit) {
				throw rabbit;
			}
			throw new RabbitJobQueueException("Could not start consuming RabbitMQ queue \"" + this.topology.queue()
					+ "\": " + Publisher.rootMessage(ex), ex);
		}
		this.connection = connection;
		this.consuming = true;
		logger.info("Consuming RabbitMQ queue \"{}\" with {} consumer(s), prefetch {}", this.topology.queue(),
				this.count, this.prefetch);
	}

	/**
	 * Replaces the consumers the broker cancelled (when their queue was deleted), declaring the queue
	 * again when this queue declares its queues.
	 */
	private synchronized void restartCancelled() {
		Connection connection = this.connection;
		if (connection == null || this.closed) {
			return;
		}
		// until every cancelled consumer is replaced, each take tries again (under the lock)
		this.consuming = false;
		boolean declared = false;
		for (int i = 0; i < this.consumers.size(); i++) {
			JobConsumer cancelled = this.consumers.get(i);
			if (!cancelled.isCancelled()) {
				continue;
			}
			Publisher.closeQuietly(cancelled.getChannel());
			if (!declared) {
				this.redeclare.run();
				declared = true;
			}
			try {
				this.consumers.set(i, consume(connection));
			}
			catch (IOException | RuntimeException ex) {
				throw new RabbitJobQueueException("Could not consume RabbitMQ queue \"" + this.topology.queue()
						+ "\" again after the broker cancelled its consumer: " + Publisher.rootMessage(ex), ex);
			}
			logger.info("Consuming RabbitMQ queue \"{}\" again after the broker cancelled a consumer",
					this.topology.queue());
		}
		this.consuming = true;
	}

	private JobConsumer consume(Connection connection) throws IOException {
		Channel channel = connection.createChannel();
		if (channel == null) {
			throw new RabbitJobQueueException("RabbitMQ has no channel left for a consumer (channel_max reached)");
		}
		try {
			channel.basicQos(this.prefetch);
			JobConsumer consumer = new JobConsumer(channel, this.handOff);
			channel.basicConsume(this.topology.queue(), false, consumer);
			return consumer;
		}
		catch (IOException | RuntimeException ex) {
			Publisher.closeQuietly(channel);
			throw ex;
		}
	}

	int count() {
		return this.count;
	}

	int prefetch() {
		return this.prefetch;
	}

	/**
	 * @return whether the consumers' connection is being re-established, or a consumer the broker
	 * cancelled is not consuming again yet
	 */
	boolean isRecovering() {
		Connection connection = this.connection;
		if (connection != null && !connection.isOpen()) {
			return true;
		}
		for (JobConsumer consumer : this.consumers) {
			if (consumer.isCancelled()) {
				return true;
			}
		}
		return false;
	}

	/** Closes the consumers' connection: the broker requeues what they delivered and was not acknowledged. */
	synchronized void close() {
		this.closed = true;
		Connection connection = this.connection;
		if (connection != null) {
			Connector.closeQuietly(connection);
		}
		this.handOff.clear();
	}

}
