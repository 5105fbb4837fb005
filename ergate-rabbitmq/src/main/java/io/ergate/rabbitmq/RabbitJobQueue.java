package io.ergate.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import com.rabbitmq.client.ConnectionFactory;
import io.ergate.Job;
import io.ergate.JobDecoder;
import io.ergate.JobDelivery;
import io.ergate.MeasurableJobQueue;
import io.ergate.ReliableJobQueue;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link ReliableJobQueue} on RabbitMQ: many worker processes can consume one durable queue, and no
 * job is lost when a worker, the connection or the broker goes down.
 * <pre>{@code
 * ConnectionFactory factory = new ConnectionFactory(); // host, port, credentials, TLS
 * try (RabbitJobQueue queue = RabbitJobQueue.builder(factory).queue("ergate.jobs").concurrency(4).build()) {
 *     Ergate app = new Ergate(queue, stateStore);
 *     app.registerWorkflow(workflow);
 *     app.start(4);
 *     ...
 *     app.stop(Duration.ofSeconds(30)); // before closing the queue
 * }
 * }</pre>
 * {@link #put(Job)} returns once the broker confirmed the message; a delivery is acknowledged only once
 * its successor was confirmed or its final state stored; early jobs wait in delay queues; poison goes
 * to the dead-letter queue with the reason in the {@value #DEAD_LETTER_REASON_HEADER} header; lost
 * connections are recovered (see the {@linkplain io.ergate.rabbitmq package} for each guarantee).
 * Consumers start on the first {@link #take()}, so a process that only submits jobs never takes any.
 * The queue is safe for use by several threads.
 */
public final class RabbitJobQueue implements ReliableJobQueue, MeasurableJobQueue, AutoCloseable {

	/** The header of a dead-lettered message that says why it was dead-lettered. */
	public static final String DEAD_LETTER_REASON_HEADER = "x-ergate-dead-letter-reason";

	/** The header of a dead-lettered message that names the queue it came from. */
	public static final String ORIGINAL_QUEUE_HEADER = "x-ergate-original-queue";

	/** The default {@linkplain Builder#queue(String) work queue} (the Spring Boot properties take these defaults). */
	public static final String DEFAULT_QUEUE = "ergate.jobs";
	/** The default {@linkplain Builder#queueType(QueueType) queue type}. */
	public static final QueueType DEFAULT_QUEUE_TYPE = QueueType.CLASSIC;
	/** Whether the queues are {@linkplain Builder#declare(boolean) declared} by default. */
	public static final boolean DEFAULT_DECLARE = true;
	/** The default number of {@linkplain Builder#consumers(int) consumers}. */
	public static final int DEFAULT_CONSUMERS = 1;
	/** The default {@linkplain Builder#maxDeliveries(int) deliveries of one job state} before it is dead-lettered. */
	public static final int DEFAULT_MAX_DELIVERIES = 10;
	/** The default {@linkplain Builder#confirmTimeout(Duration) wait for a publisher confirm}. */
	public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(30);
	/** The default first {@linkplain Builder#recoveryBackoff(Duration, Duration) reconnection delay}. */
	public static final Duration DEFAULT_RECOVERY_INITIAL_INTERVAL = Duration.ofMillis(500);
	/** The default longest {@linkplain Builder#recoveryBackoff(Duration, Duration) reconnection delay}. */
	public static final Duration DEFAULT_RECOVERY_MAX_INTERVAL = Duration.ofSeconds(30);

	private final Topology topology;

	private final JobMessages messages;

	private final Publisher publisher;

	private final JobConsumers consumers;

	private final DelayQueues delays;

	private final DeliveryRouter router;

	private volatile boolean closed;

	private RabbitJobQueue(Builder builder) {
		this.topology = new Topology(builder.queue,
				(builder.deadLetterQueue != null) ? builder.deadLetterQueue : builder.queue + ".dlq", builder.queueType);
		this.messages = new JobMessages(builder.jsonMapper, builder.clock, this.topology.queue());
		Connector connector = new Connector(builder.connectionFactory, builder.connectionName, builder.recoveryInitial,
				builder.recoveryMax);
		this.publisher = new Publisher(connector.open("publish"), builder.confirmTimeout);
		this.consumers = new JobConsumers(connector, this.topology, builder.consumers,
				(builder.prefetch > 0) ? builder.prefetch : builder.concurrency,
				builder.declare ? () -> this.publisher.declare(this.topology) : () -> { }, this::checkOpen);
		this.delays = new DelayQueues(this.topology, this.publisher, builder.clock, this.consumers.handOff());
		this.router = new DeliveryRouter(this, this.topology, this.messages,
				new JobDecoder(builder.jsonMapper, builder.maxPayloadBytes), builder.maxDeliveries, this.publisher,
				this.delays);
		try {
			this.publisher.declareOrCheck(this.topology, builder.declare);
		}
		catch (RuntimeException ex) {
			this.publisher.close();
			throw ex;
		}
	}

	/**
	 * Starts configuring a queue.
	 * @param connectionFactory where the broker is and how to log in; it is copied, with automatic
	 * recovery switched on
	 * @return a builder
	 */
	public static Builder builder(ConnectionFactory connectionFactory) {
		return new Builder(connectionFactory);
	}

	/**
	 * Takes the next job, blocking (without polling) until one is delivered. Messages that are not
	 * jobs are moved to the dead-letter queue on the way, and jobs that arrive before their start time
	 * are delayed again, so neither is ever returned.
	 * @return the delivery, to complete, acknowledge or release exactly once
	 * @throws InterruptedException when the waiting thread is interrupted
	 * @throws RabbitJobQueueException when the consumers cannot start, or a message could not be moved
	 * (it stays on the queue)
	 */
	@Override
	public JobDelivery take() throws InterruptedException {
		checkOpen();
		while (true) {
			JobDelivery delivery = this.router.accept(this.consumers.next());
			if (delivery != null) {
				return delivery;
			}
		}
	}

	/** {@link DeliveryRouter#republish}, for {@link RabbitDelivery}. */
	void republish(RawDelivery raw, Job job, long delayMs) {
		this.router.republish(raw, job, delayMs);
	}

	/** {@link DeliveryRouter#deadLetter}, for {@link RabbitDelivery}. */
	void deadLetter(RawDelivery raw, String reason) {
		this.router.deadLetter(raw, reason);
	}

	/**
	 * Puts a job on the queue and waits until the broker confirmed it. A job whose
	 * {@code requested_start_time} is in the future goes to a delay queue first.
	 * @param job the job
	 * @throws RabbitJobQueueException when the broker refused it, returned it or did not confirm it in
	 * time, or the connection failed: the job may not be on the queue
	 */
	@Override
	public void put(Job job) {
		checkOpen();
		byte[] body = this.messages.body(job);
		this.delays.publishAfter(this.messages.properties(job), body, this.delays.remainingMs(job));
	}

	/**
	 * Tells whether this queue is connected to the broker, for health checks.
	 * @return {@link ConnectionState#CONNECTED} when every connection is open,
	 * {@link ConnectionState#RECOVERING} while one is being re-established (or a consumer the broker
	 * cancelled is not consuming again yet), {@link ConnectionState#CLOSED} after {@link #close()}
	 */
	public ConnectionState connectionState() {
		if (this.closed) {
			return ConnectionState.CLOSED;
		}
		return (this.publisher.isConnected() && !this.consumers.isRecovering()) ? ConnectionState.CONNECTED
				: ConnectionState.RECOVERING;
	}

	/**
	 * Returns how many jobs wait on the broker: the ready messages of the work queue and of the delay
	 * queues this queue used, without those taken by workers and not acknowledged yet. Asks the broker
	 * once per queue.
	 * @return the count, -1 when the broker cannot be asked now
	 */
	@Override
	public long depth() {
		if (this.closed) {
			return -1;
		}
		long ready = this.publisher.messageCount(this.topology.queue());
		long delayed = (ready < 0) ? -1 : this.delays.waiting();
		return (delayed < 0) ? -1 : ready + delayed;
	}

	/** {@return the name of the work queue} */
	public String queueName() {
		return this.topology.queue();
	}

	/** {@return the name of the dead-letter queue} */
	public String deadLetterQueueName() {
		return this.topology.deadLetterQueue();
	}

	/** {@return the type of the queues this queue declares: classic or quorum} */
	public QueueType queueType() {
		return this.topology.type();
	}

	/** {@return how many unacknowledged jobs the broker sends each consumer at most} */
	public int prefetch() {
		return this.consumers.prefetch();
	}

	/** {@return how many consumers this queue opens when a worker first takes a job} */
	public int consumers() {
		return this.consumers.count();
	}

	/**
	 * {@return how many jobs this queue took that the broker had delivered before (to a worker that
	 * died, lost its connection or released them), since it was built: steps that run again}
	 */
	public long redeliveries() {
		return this.router.redeliveries();
	}

	/** {@return how many messages this queue moved to the dead-letter queue since it was built} */
	public long deadLettered() {
		return this.router.deadLettered();
	}

	/** {@return how many times a job arrived before its start time and was delayed again since the queue was built} */
	public long delayHops() {
		return this.delays.hops();
	}

	/** {@return {@code true}: jobs with a future start time wait in RabbitMQ delay queues} */
	@Override
	public boolean supportsDelayedDelivery() {
		return true;
	}

	/**
	 * Closes the connections. Jobs taken but not completed yet are requeued by the broker: stop the
	 * workers first.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.delays.close();
		this.consumers.close();
		this.publisher.close();
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("RabbitJobQueue for \"" + this.topology.queue() + "\" is closed");
		}
	}

	/**
	 * The type of the RabbitMQ queues.
	 */
	public enum QueueType {

		/** A classic queue: one node, fastest; counts only whether a message was redelivered. */
		CLASSIC,

		/**
		 * A quorum queue: replicated on several nodes, counts deliveries ({@code x-delivery-count}), and
		 * dead-letters expired delayed jobs with confirms.
		 */
		QUORUM

	}

	/**
	 * Whether the queue is connected to the broker.
	 */
	public enum ConnectionState {

		/** Every connection is open. */
		CONNECTED,

		/** A connection was lost and is being re-established, with backoff. */
		RECOVERING,

		/** The queue was closed. */
		CLOSED

	}

	/**
	 * Configures a {@link RabbitJobQueue}.
	 */
	public static final class Builder {

		private final ConnectionFactory connectionFactory;

		private String queue = DEFAULT_QUEUE;

		private @Nullable String deadLetterQueue;

		private QueueType queueType = DEFAULT_QUEUE_TYPE;

		private boolean declare = DEFAULT_DECLARE;

		private int concurrency = 1;

		private int prefetch;

		private int consumers = DEFAULT_CONSUMERS;

		private int maxDeliveries = DEFAULT_MAX_DELIVERIES;

		private int maxPayloadBytes = JobDecoder.DEFAULT_MAX_PAYLOAD_BYTES;

		private Duration confirmTimeout = DEFAULT_CONFIRM_TIMEOUT;

		private Duration recoveryInitial = DEFAULT_RECOVERY_INITIAL_INTERVAL;

		private Duration recoveryMax = DEFAULT_RECOVERY_MAX_INTERVAL;

		private String connectionName = "ergate";

		private JsonMapper jsonMapper = JsonMapper.shared();

		private Clock clock = Clock.systemUTC();

		private Builder(ConnectionFactory connectionFactory) {
			this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
		}

		/**
		 * Sets the work queue's name.
		 * @param queue the name, default {@code ergate.jobs}
		 * @return this builder
		 */
		public Builder queue(String queue) {
			if (queue == null || queue.isBlank()) {
				throw new IllegalArgumentException("The queue name must not be blank");
			}
			this.queue = queue;
			return this;
		}

		/**
		 * Sets the dead-letter queue's name.
		 * @param deadLetterQueue the name, default the work queue's name followed by {@code .dlq}
		 * @return this builder
		 */
		public Builder deadLetterQueue(@Nullable String deadLetterQueue) {
			this.deadLetterQueue = (deadLetterQueue == null || deadLetterQueue.isBlank()) ? null : deadLetterQueue;
			return this;
		}

		/**
		 * Sets the type of the queues this queue declares.
		 * @param queueType classic (default) or quorum
		 * @return this builder
		 */
		public Builder queueType(QueueType queueType) {
			this.queueType = Objects.requireNonNull(queueType, "queueType");
			return this;
		}

		/**
		 * Sets whether the work queue and the dead-letter queue are declared when the queue is built.
		 * When off, the work queue must exist (it is checked); delay queues are still declared when
		 * first needed.
		 * @param declare default {@code true}
		 * @return this builder
		 */
		public Builder declare(boolean declare) {
			this.declare = declare;
			return this;
		}

		/**
		 * Sets how many workers of this process take jobs from this queue: the default prefetch.
		 * @param concurrency the engine's worker count, default 1
		 * @return this builder
		 */
		public Builder concurrency(int concurrency) {
			this.concurrency = positive(concurrency, "concurrency");
			return this;
		}

		/**
		 * Sets how many unacknowledged jobs the broker sends each consumer at most.
		 * @param prefetch 1 or more; default: the {@linkplain #concurrency(int) concurrency}
		 * @return this builder
		 */
		public Builder prefetch(int prefetch) {
			this.prefetch = positive(prefetch, "prefetch");
			return this;
		}

		/**
		 * Sets how many consumers (each on a channel of its own) this process opens on the queue.
		 * @param consumers 1 or more, default 1
		 * @return this builder
		 */
		public Builder consumers(int consumers) {
			this.consumers = positive(consumers, "consumers");
			return this;
		}

		/**
		 * Sets the largest message body read as a job; a larger one is moved to the dead-letter queue
		 * unread.
		 * @param maxPayloadBytes 1 or more, default 1 MiB
		 * @return this builder
		 */
		public Builder maxPayloadBytes(int maxPayloadBytes) {
			this.maxPayloadBytes = positive(maxPayloadBytes, "maxPayloadBytes");
			return this;
		}

		/**
		 * Sets how many times a message may be delivered in the same state before it is moved to the
		 * dead-letter queue.
		 * @param maxDeliveries 1 or more, or 0 for no limit; default {@value RabbitJobQueue#DEFAULT_MAX_DELIVERIES}
		 * @return this builder
		 */
		public Builder maxDeliveries(int maxDeliveries) {
			if (maxDeliveries < 0) {
				throw new IllegalArgumentException("maxDeliveries must be 0 (no limit) or more, was " + maxDeliveries);
			}
			this.maxDeliveries = maxDeliveries;
			return this;
		}

		/**
		 * Sets how long a put waits for the broker's confirm before it fails.
		 * @param confirmTimeout default 30 seconds
		 * @return this builder
		 */
		public Builder confirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
			return this;
		}

		/**
		 * Sets the backoff between attempts to reconnect after a connection was lost: doubling from
		 * {@code initial} up to {@code max}.
		 * @param initial default 500 ms
		 * @param max default 30 seconds
		 * @return this builder
		 */
		public Builder recoveryBackoff(Duration initial, Duration max) {
			this.recoveryInitial = Objects.requireNonNull(initial, "initial");
			this.recoveryMax = Objects.requireNonNull(max, "max");
			return this;
		}

		/**
		 * Sets the prefix of the connection names shown by the broker.
		 * @param connectionName default {@code ergate}
		 * @return this builder
		 */
		public Builder connectionName(String connectionName) {
			this.connectionName = Objects.requireNonNull(connectionName, "connectionName");
			return this;
		}

		/**
		 * Sets the mapper that writes and reads jobs.
		 * @param jsonMapper default {@link JsonMapper#shared()}
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
			return this;
		}

		/**
		 * Sets the clock that start times are compared with.
		 * @param clock default the system clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * Connects to the broker and declares the queues.
		 * @return the queue, to {@linkplain RabbitJobQueue#close() close} when done
		 * @throws RabbitJobQueueException when the broker cannot be reached or a queue cannot be
		 * declared
		 */
		public RabbitJobQueue build() {
			return new RabbitJobQueue(this);
		}

		private static int positive(int value, String name) {
			if (value < 1) {
				throw new IllegalArgumentException(name + " must be 1 or more, was " + value);
			}
			return value;
		}

	}

}
