package io.ergate.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes with publisher confirms on a pool of channels of its own connection. A channel is used
 * by one thread at a time: it is borrowed, used for one publish and its confirm, and given back (or
 * closed and dropped when anything went wrong with it, since its state is then unknown).
 */
final class Publisher {

	private static final Logger logger = LoggerFactory.getLogger(Publisher.class);

	private final Connection connection;

	private final long confirmTimeoutMs;

	private final ConcurrentLinkedDeque<PooledChannel> idle = new ConcurrentLinkedDeque<>();

	private final Set<String> declared = ConcurrentHashMap.newKeySet();

	Publisher(Connection connection, Duration confirmTimeout) {
		this.connection = connection;
		this.confirmTimeoutMs = Math.max(1, confirmTimeout.toMillis());
	}

	/**
	 * Publishes a persistent message to a queue through the default exchange and waits for the
	 * broker's confirm.
	 * @throws RabbitJobQueueException when the broker refused or returned it, did not confirm it in
	 * time, or the channel failed
	 */
	void publish(String queue, AMQP.BasicProperties properties, byte[] body) {
		PooledChannel pooled = borrow();
		boolean reusable = false;
		try {
			pooled.returned = null;
			pooled.channel.basicPublish("", queue, true, properties, body);
			boolean acked = pooled.channel.waitForConfirms(this.confirmTimeoutMs);
			reusable = true;
			if (!acked) {
				throw new RabbitJobQueueException("RabbitMQ refused (nack) the message for queue \"" + queue
						+ "\": the broker could not store it; it was not put");
			}
			if (pooled.returned != null) {
				throw new RabbitJobQueueException("RabbitMQ returned the message for queue \"" + queue + "\" ("
						+ pooled.returned + "): the queue does not exist. Declare it, or let the queue be "
						+ "declared on startup (declare = true)");
			}
		}
		catch (TimeoutException ex) {
			throw new RabbitJobQueueException("RabbitMQ did not confirm the message for queue \"" + queue + "\" within "
					+ this.confirmTimeoutMs + " ms (is the broker blocked by a resource alarm or unreachable?)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RabbitJobQueueException("Interrupted while waiting for RabbitMQ to confirm the message for queue \""
					+ queue + "\"", ex);
		}
		catch (IOException | ShutdownSignalException ex) {
			throw new RabbitJobQueueException("Publishing to RabbitMQ queue \"" + queue + "\" failed: " + ex.getMessage(),
					ex);
		}
		finally {
			giveBack(pooled, reusable);
		}
	}

	/**
	 * Declares a queue once per publisher (the client re-declares it after a reconnect).
	 */
	void declareOnce(String queue, Map<String, Object> arguments) {
		if (this.declared.contains(queue)) {
			return;
		}
		declare(queue, arguments);
		this.declared.add(queue);
	}

	/** Declares the work queue and its dead-letter queue. */
	void declare(Topology topology) {
		declare(topology.deadLetterQueue(), topology.deadLetterQueueArguments());
		declare(topology.queue(), topology.workQueueArguments());
	}

	/**
	 * Declares the work queue and its dead-letter queue, or checks the work queue exists.
	 * @throws RabbitJobQueueException when a queue cannot be declared or does not exist
	 */
	void declareOrCheck(Topology topology, boolean declare) {
		if (declare) {
			declare(topology);
		}
		else {
			checkExists(topology.queue());
		}
	}

	void declare(String queue, Map<String, Object> arguments) {
		PooledChannel pooled = borrow();
		boolean reusable = false;
		try {
			pooled.channel.queueDeclare(queue, true, false, false, arguments);
			reusable = true;
		}
		catch (IOException | ShutdownSignalException ex) {
			throw new RabbitJobQueueException("Declaring RabbitMQ queue \"" + queue + "\" with " + arguments
					+ " failed: " + rootMessage(ex) + ". If it exists with other arguments (another queue type or "
					+ "dead-letter queue), delete it or configure the same ones", ex);
		}
		finally {
			giveBack(pooled, reusable);
		}
	}

	void checkExists(String queue) {
		PooledChannel pooled = borrow();
		boolean reusable = false;
		try {
			pooled.channel.queueDeclarePassive(queue);
			reusable = true;
		}
		catch (IOException | ShutdownSignalException ex) {
			throw new RabbitJobQueueException("RabbitMQ queue \"" + queue + "\" does not exist: declare it, or set "
					+ "declare = true to let Ergate declare it", ex);
		}
		finally {
			giveBack(pooled, reusable);
		}
	}

	/** @return the ready messages in the queue, -1 when it cannot be told */
	long messageCount(String queue) {
		PooledChannel pooled;
		try {
			pooled = borrow();
		}
		catch (RuntimeException ex) {
			return -1;
		}
		boolean reusable = false;
		try {
			long count = pooled.channel.queueDeclarePassive(queue).getMessageCount();
			reusable = true;
			return count;
		}
		catch (IOException | ShutdownSignalException ex) {
			return -1;
		}
		finally {
			giveBack(pooled, reusable);
		}
	}

	/** @return the queues declared through {@link #declareOnce}: the delay queues used so far */
	Set<String> declaredOnce() {
		return Set.copyOf(this.declared);
	}

	/** @return whether its connection is open, {@code false} while it is being recovered */
	boolean isConnected() {
		return this.connection.isOpen();
	}

	/** Closes the channels and the connection. */
	void close() {
		PooledChannel pooled;
		while ((pooled = this.idle.poll()) != null) {
			closeQuietly(pooled.channel);
		}
		Connector.closeQuietly(this.connection);
	}

	private PooledChannel borrow() {
		PooledChannel pooled = this.idle.poll();
		if (pooled != null && pooled.channel.isOpen()) {
			return pooled;
		}
		try {
			Channel channel = this.connection.createChannel();
			if (channel == null) {
				throw new RabbitJobQueueException("RabbitMQ has no channel left on the publishing connection "
						+ "(channel_max reached)");
			}
			channel.confirmSelect();
			PooledChannel created = new PooledChannel(channel);
			channel.addReturnListener((replyCode, replyText, exchange, routingKey, properties, body) -> created.returned = replyCode
					+ " " + replyText);
			return created;
		}
		catch (IOException | ShutdownSignalException ex) {
			throw new RabbitJobQueueException("Could not open a channel to RabbitMQ: " + rootMessage(ex), ex);
		}
	}

	private void giveBack(PooledChannel pooled, boolean reusable) {
		if (reusable && pooled.channel.isOpen()) {
			this.idle.push(pooled);
		}
		else {
			closeQuietly(pooled.channel);
		}
	}

	static void closeQuietly(Channel channel) {
		try {
			if (channel.isOpen()) {
				channel.abort();
			}
		}
		catch (Exception ex) {
			logger.debug("Closing channel {} failed", channel, ex);
		}
	}

	static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return String.valueOf(cause.getMessage());
	}

	private static final class PooledChannel {

		final Channel channel;

		volatile @Nullable String returned;

		PooledChannel(Channel channel) {
			this.channel = channel;
		}

	}

}
