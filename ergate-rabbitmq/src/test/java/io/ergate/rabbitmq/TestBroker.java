package io.ergate.rabbitmq;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The real RabbitMQ the tests run against: the local service when it is reachable
 * ({@code ERGATE_RABBITMQ_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}, default
 * 127.0.0.1:5672 guest/guest), else a Testcontainers container when Docker is available, else the
 * tests fail saying how to provide one.
 */
final class TestBroker {

	private static TestBroker instance;

	final String host;

	final int port;

	final String user;

	final String password;

	private final RabbitMQContainer container;

	private TestBroker(String host, int port, String user, String password, RabbitMQContainer container) {
		this.host = host;
		this.port = port;
		this.user = user;
		this.password = password;
		this.container = container;
	}

	static synchronized TestBroker get() {
		if (instance != null) {
			return instance;
		}
		String host = env("ERGATE_RABBITMQ_HOST", "127.0.0.1");
		int port = Integer.parseInt(env("ERGATE_RABBITMQ_PORT", "5672"));
		String user = env("ERGATE_RABBITMQ_USER", "guest");
		String password = env("ERGATE_RABBITMQ_PASSWORD", "guest");
		if (reachable(host, port)) {
			instance = new TestBroker(host, port, user, password, null);
		}
		else if (dockerAvailable()) {
			RabbitMQContainer container = new RabbitMQContainer("rabbitmq:3.13-management");
			container.start();
			instance = new TestBroker(container.getHost(), container.getAmqpPort(), container.getAdminUsername(),
					container.getAdminPassword(), container);
		}
		else {
			throw new IllegalStateException("These tests need a real RabbitMQ, and none was found: nothing listens on "
					+ host + ":" + port + " and Docker is not available for a Testcontainers RabbitMQContainer. "
					+ "Start one (e.g. `apt-get install rabbitmq-server && service rabbitmq-server start`, or "
					+ "`docker run -p 5672:5672 rabbitmq:3`), or point ERGATE_RABBITMQ_HOST/_PORT/_USER/_PASSWORD at one.");
		}
		return instance;
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private static boolean reachable(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	ConnectionFactory connectionFactory() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(this.host);
		factory.setPort(this.port);
		factory.setUsername(this.user);
		factory.setPassword(this.password);
		return factory;
	}

	static String uniqueQueue(String prefix) {
		return "ergate-test-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** Deletes a work queue with its dead-letter queue and every delay queue it may have used. */
	void deleteQueues(String queue) {
		List<String> names = new ArrayList<>();
		names.add(queue);
		names.add(queue + ".dlq");
		for (long bucket = Topology.MIN_DELAY_MS; bucket <= Topology.MAX_DELAY_MS; bucket <<= 1) {
			names.add(queue + ".delay." + bucket);
		}
		try (Connection connection = connectionFactory().newConnection("ergate-test-cleanup")) {
			for (String name : names) {
				Channel channel = connection.createChannel();
				try {
					channel.queueDelete(name);
					channel.close();
				}
				catch (IOException ex) {
					// absent
				}
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not delete test queues of " + queue, ex);
		}
	}

	/** Ready messages in a queue (unacknowledged ones are not counted). */
	long messageCount(String queue) {
		try (Connection connection = connectionFactory().newConnection("ergate-test-count");
				Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getMessageCount();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not count messages of " + queue, ex);
		}
	}

	boolean queueExists(String queue) {
		try (Connection connection = connectionFactory().newConnection("ergate-test-exists");
				Channel channel = connection.createChannel()) {
			channel.queueDeclarePassive(queue);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not look for " + queue, ex);
		}
	}

	/** Reads (and acknowledges) every message of a queue. */
	List<GetResponse> drain(String queue) {
		List<GetResponse> messages = new ArrayList<>();
		try (Connection connection = connectionFactory().newConnection("ergate-test-drain");
				Channel channel = connection.createChannel()) {
			GetResponse response;
			while ((response = channel.basicGet(queue, true)) != null) {
				messages.add(response);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not read " + queue, ex);
		}
		return messages;
	}

	void publishRaw(String queue, byte[] body) {
		try (Connection connection = connectionFactory().newConnection("ergate-test-publish");
				Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			channel.basicPublish("", queue, true, null, body);
			channel.waitForConfirmsOrDie(10_000);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not publish to " + queue, ex);
		}
	}

	/**
	 * Force-closes, on the broker's side, every connection whose name starts with the given prefix,
	 * as a broker restart or a network failure would.
	 * @return how many were closed
	 */
	int forceCloseConnections(String namePrefix) throws Exception {
		List<String> pids = new ArrayList<>();
		for (String line : rabbitmqctl("list_connections", "--no-table-headers", "--quiet", "pid", "client_properties")
			.split("\n")) {
			int tab = line.indexOf('\t');
			if (tab > 0 && line.contains(namePrefix)) {
				pids.add(line.substring(0, tab).trim());
			}
		}
		// all at once, as a broker restart would (and rabbitmqctl takes a while to start)
		List<Thread> closers = new ArrayList<>();
		List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
		for (String pid : pids) {
			Thread closer = new Thread(() -> {
				try {
					rabbitmqctl("close_connection", pid, "ergate test: simulated connection loss");
				}
				catch (Exception ex) {
					failures.add(ex);
				}
			});
			closer.start();
			closers.add(closer);
		}
		for (Thread closer : closers) {
			closer.join();
		}
		if (!failures.isEmpty()) {
			throw failures.get(0);
		}
		return pids.size();
	}

	String rabbitmqctl(String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add("rabbitmqctl");
		command.addAll(List.of(args));
		if (this.container != null) {
			return this.container.execInContainer(command.toArray(new String[0])).getStdout();
		}
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("This test needs rabbitmqctl (run as a user allowed to use it) to "
					+ "force-close connections on the broker", ex);
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
		}
		return output;
	}

}
