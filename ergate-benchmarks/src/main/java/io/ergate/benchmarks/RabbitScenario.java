package io.ergate.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.rabbitmq.RabbitJobQueue;

/**
 * The {@code rabbitmq} scenario: the engine on {@code ergate-rabbitmq} with the in-memory store,
 * against the raw RabbitMQ client doing the same message hops: consume with a manual ack, publish
 * the next persistent message, wait for its confirm, then ack; same prefetch, same consumer count.
 */
final class RabbitScenario {

	private RabbitScenario() {
	}

	static ConnectionFactory connectionFactory() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(System.getProperty("ergate.bench.rabbitmq.host", "127.0.0.1"));
		factory.setPort(Integer.getInteger("ergate.bench.rabbitmq.port", 5672));
		factory.setUsername(System.getProperty("ergate.bench.rabbitmq.user", "guest"));
		factory.setPassword(System.getProperty("ergate.bench.rabbitmq.password", "guest"));
		return factory;
	}

	static double engine(int jobs, int steps, int concurrency) throws Exception {
		String queueName = "ergate-bench-" + UUID.randomUUID();
		ConnectionFactory factory = connectionFactory();
		try (RabbitJobQueue queue = RabbitJobQueue.builder(factory).queue(queueName).concurrency(concurrency)
			.consumers(concurrency).build()) {
			publishRaw(factory, queueName, jobs, (i) -> ("{\"workflow_name\": \"" + Workloads.WORKFLOW
					+ "\", \"id\": " + i + ", \"initial_input_value\": " + i + "}").getBytes(StandardCharsets.UTF_8));
			return Workloads.drain(queue, new InMemoryStateStore(), jobs, steps, concurrency);
		}
		finally {
			deleteQueues(factory, queueName);
		}
	}

	static double baseline(int jobs, int steps, int concurrency) throws Exception {
		String queueName = "ergate-bench-raw-" + UUID.randomUUID();
		ConnectionFactory factory = connectionFactory();
		try (Connection consuming = factory.newConnection("ergate-bench-consume");
				Connection publishing = factory.newConnection("ergate-bench-publish")) {
			try (Channel admin = publishing.createChannel()) {
				admin.queueDeclare(queueName, true, false, false, null);
			}
			publishRaw(factory, queueName, jobs, (i) -> ByteBuffer.allocate(8).putInt(i).putInt(steps).array());
			LongAdder finished = new LongAdder();
			List<Channel> channels = new ArrayList<>();
			long start = System.nanoTime();
			for (int c = 0; c < concurrency; c++) {
				Channel channel = consuming.createChannel();
				channel.basicQos(concurrency);
				Channel confirms = publishing.createChannel();
				confirms.confirmSelect();
				channels.add(channel);
				channels.add(confirms);
				channel.basicConsume(queueName, false, new DefaultConsumer(channel) {
					@Override
					public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
							byte[] body) throws java.io.IOException {
						ByteBuffer buffer = ByteBuffer.wrap(body);
						int id = buffer.getInt();
						int remaining = buffer.getInt() - 1;
						if (remaining > 0) {
							confirms.basicPublish("", queueName, MessageProperties.PERSISTENT_BASIC,
									ByteBuffer.allocate(8).putInt(id).putInt(remaining).array());
							try {
								confirms.waitForConfirmsOrDie(10_000);
							}
							catch (InterruptedException | java.util.concurrent.TimeoutException ex) {
								throw new java.io.IOException(ex);
							}
						}
						else {
							finished.increment();
						}
						getChannel().basicAck(envelope.getDeliveryTag(), false);
					}
				});
			}
			Throughput.awaitCount(finished, jobs, TimeUnit.MINUTES.toNanos(5));
			long elapsed = System.nanoTime() - start;
			for (Channel channel : channels) {
				channel.abort();
			}
			return (double) jobs * steps / elapsed * 1e9;
		}
		finally {
			deleteQueues(factory, queueName);
		}
	}

	private interface Body {

		byte[] of(int index);

	}

	private static void publishRaw(ConnectionFactory factory, String queueName, int count, Body body)
			throws Exception {
		try (Connection connection = factory.newConnection("ergate-bench-fill");
				Channel channel = connection.createChannel()) {
			channel.queueDeclarePassive(queueName);
			channel.confirmSelect();
			for (int i = 0; i < count; i++) {
				channel.basicPublish("", queueName, MessageProperties.PERSISTENT_BASIC, body.of(i));
				if (i % 500 == 499) {
					channel.waitForConfirmsOrDie(30_000);
				}
			}
			channel.waitForConfirmsOrDie(30_000);
		}
	}

	private static void deleteQueues(ConnectionFactory factory, String queueName) {
		try (Connection connection = factory.newConnection("ergate-bench-cleanup");
				Channel channel = connection.createChannel()) {
			for (String name : new String[] { queueName, queueName + ".dlq" }) {
				channel.queueDelete(name);
			}
		}
		catch (Exception ex) {
			System.err.println("# could not delete " + queueName + ": " + ex);
		}
	}

}
