package io.ergate.rabbitmq;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer on a channel of its own, with manual acknowledgements and a prefetch. The client's
 * dispatch thread only hands deliveries over to the blocking queue of {@link JobConsumers}, which
 * {@link RabbitJobQueue#take()} reads; acknowledgements go back on this consumer's channel, one at a
 * time.
 * <p>
 * Each delivery remembers the consumer's generation. When the channel shuts down (the connection was
 * lost, the broker requeued every unacknowledged message), the generation moves on: deliveries not
 * taken yet are dropped, and those in progress are known to be stale, so that their successor is not
 * published a second time.
 */
final class JobConsumer extends DefaultConsumer {

	private static final Logger logger = LoggerFactory.getLogger(JobConsumer.class);

	private final BlockingQueue<RawDelivery> handOff;

	private volatile int generation;

	private volatile boolean cancelled;

	JobConsumer(Channel channel, BlockingQueue<RawDelivery> handOff) {
		super(channel);
		this.handOff = handOff;
	}

	@Override
	public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
		this.handOff.add(new RawDelivery(this, this.generation, envelope.getDeliveryTag(), envelope.isRedeliver(),
				properties, body));
	}

	@Override
	public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
		int stale = this.generation;
		this.generation = stale + 1;
		this.handOff.removeIf((delivery) -> delivery.consumer() == this && delivery.generation() <= stale);
		if (!signal.isInitiatedByApplication()) {
			logger.warn("RabbitMQ consumer channel closed ({}): the broker requeues its unacknowledged jobs",
					signal.getMessage());
		}
	}

	@Override
	public void handleCancel(String consumerTag) {
		logger.warn("RabbitMQ cancelled consumer {} (was its queue deleted?): it will be started again", consumerTag);
		this.cancelled = true;
		// wakes a waiting take(), which starts a new consumer
		this.handOff.add(new RawDelivery(this, -1, -1, false, new AMQP.BasicProperties(),
				new byte[0]));
	}

	boolean isCancelled() {
		return this.cancelled;
	}

	boolean isCurrent(RawDelivery delivery) {
		return delivery.generation() == this.generation && getChannel().isOpen();
	}

	/** @return {@code false} when the channel was lost: the broker requeued the message */
	synchronized boolean ack(RawDelivery delivery) {
		if (!isCurrent(delivery)) {
			return false;
		}
		try {
			getChannel().basicAck(delivery.deliveryTag(), false);
			return true;
		}
		catch (IOException | AlreadyClosedException ex) {
			logger.debug("Acknowledging delivery {} failed", delivery.deliveryTag(), ex);
			return false;
		}
	}

	synchronized void requeue(RawDelivery delivery) {
		if (!isCurrent(delivery)) {
			return;
		}
		try {
			getChannel().basicNack(delivery.deliveryTag(), false, true);
		}
		catch (IOException | AlreadyClosedException ex) {
			logger.debug("Requeueing delivery {} failed", delivery.deliveryTag(), ex);
		}
	}

}
