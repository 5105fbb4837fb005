package io.ergate.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the queue's named connections (publishing, consuming) from a copy of the application's
 * connection factory with automatic recovery and exponential backoff, and says where it tried when the
 * broker cannot be reached.
 */
final class Connector {

	private static final Logger logger = LoggerFactory.getLogger(Connector.class);

	private final ConnectionFactory factory;

	private final String namePrefix;

	/**
	 * @param source where the broker is and how to log in; copied, not changed
	 * @param namePrefix the prefix of the connection names the broker shows
	 * @param initial the first reconnection delay, doubled on every attempt
	 * @param max the longest reconnection delay
	 */
	Connector(ConnectionFactory source, String namePrefix, Duration initial, Duration max) {
		ConnectionFactory factory = source.clone();
		factory.setAutomaticRecoveryEnabled(true);
		factory.setTopologyRecoveryEnabled(true);
		long initialMs = Math.max(1, initial.toMillis());
		long maxMs = Math.max(initialMs, max.toMillis());
		factory.setRecoveryDelayHandler((attempts) -> Math.min(maxMs, initialMs << Math.min(20, Math.max(0, attempts - 1))));
		this.factory = factory;
		this.namePrefix = namePrefix;
	}

	/**
	 * Opens a connection named {@code <prefix>-<purpose>}.
	 * @throws RabbitJobQueueException when the broker cannot be reached
	 */
	Connection open(String purpose) {
		try {
			return this.factory.newConnection(this.namePrefix + "-" + purpose);
		}
		catch (IOException | TimeoutException ex) {
			throw new RabbitJobQueueException("Could not connect to RabbitMQ at " + this.factory.getHost() + ":"
					+ this.factory.getPort() + " (virtual host \"" + this.factory.getVirtualHost() + "\"): "
					+ Publisher.rootMessage(ex) + ". Check the broker is running and the connection settings", ex);
		}
	}

	static void closeQuietly(Connection connection) {
		try {
			connection.abort(5000);
		}
		catch (RuntimeException ex) {
			logger.debug("Closing connection {} failed", connection, ex);
		}
	}

}
