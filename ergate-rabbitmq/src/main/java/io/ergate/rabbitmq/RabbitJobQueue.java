package io.ergate.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ergate.Job;
import io.ergate.JobDecoder;
import io.ergate.JobDelivery;
import io.ergate.MeasurableJobQueue;
import io.ergate.PoisonJobException;
import io.ergate.ReliableJobQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <ul>
 * <li>Jobs are persistent messages on a durable queue (classic or quorum) holding the job's JSON, the
 * wire format of the original Ergate. The work queue and its dead-letter queue are declared when the
 * queue is built, unless {@link Builder#declare(boolean) declare} is off.</li>
 * <li>{@link #put(Job)} returns only once the broker confirmed the message; a refusal, a returned
 * message or no confirm within the timeout raises {@link RabbitJobQueueException}.</li>
 * <li>Deliveries are acknowledged manually: the delivery of a step is acknowledged only after the job
 * for the next step was confirmed, or the final state stored. A worker that dies mid-step leaves the
 * message unacknowledged, and the broker delivers it to another worker: every step runs at least once.
 * </li>
 * <li>Jobs whose {@code requested_start_time} is in the future wait in delay queues (fixed
 * time-to-live, dead-lettered into the work queue, no plugin) and are not delivered before their
 * time.</li>
 * <li>Messages that are not jobs (not JSON, invalid fields) and jobs delivered more than
 * {@link Builder#maxDeliveries(int) maxDeliveries} times go to the dead-letter queue, with the reason in
 * the {@value #DEAD_LETTER_REASON_HEADER} header; the consumer goes on.</li>
 * <li>Lost connections are recovered with exponential backoff; {@link #connectionState()} tells health
 * checks. Jobs in flight on a lost channel are requeued by the broker and delivered again.</li>
 * </ul>
 * Consumers start on the first {@link #take()}, so a process that only submits jobs never takes any.
 * The queue is safe for use by several threads.
 */
public final class RabbitJobQueue implements ReliableJobQueue, MeasurableJobQueue, AutoCloseable {

	/** The header of a dead-lettered message that says why it was dead-lettered. */
	public static final String DEAD_LETTER_REASON_HEADER = "x-ergate-dead-letter-reason";

	/** The header of a dead-lettered message that names the queue it came from. */
	public static final String ORIGINAL_QUEUE_HEADER = "x-ergate-original-queue";

	private static final Logger logger = LoggerFactory.getLogger(RabbitJobQueue.class);

	private final Topology topology;

	private final JobMessages messages;

	private final JobDecoder decoder;

	private final int maxDeliveries;

	private final Connection publishConnection;

	private final Publisher publisher;

	private final JobConsumers consumers;

	private final DelayQueues delays;

	private final AtomicLong redeliveries = new AtomicLong();

	private final AtomicLong deadLettered = new AtomicLong();

	private volatile boolean closed;

	private RabbitJobQueue(Builder builder) {
		this.topology = new Topology(builder.queue,
				(builder.deadLetterQueue != null) ? builder.deadLetterQueue : builder.queue + ".dlq", builder.queueType);
		this.messages = new JobMessages(builder.jsonMapper, builder.clock, this.topology.queue());
		this.decoder = new JobDecoder(builder.jsonMapper, builder.maxPayloadBytes);
		this.maxDeliveries = builder.maxDeliveries;
		Connector connector = new Connector(builder.connectionFactory, builder.connectionName, builder.recoveryInitial,
				builder.recoveryMax);
		this.publishConnection = connector.open("publish");
		this.publisher = new Publisher(this.publishConnection, builder.confirmTimeout);
		this.consumers = new JobConsumers(connector, this.topology, builder.consumers,
				(builder.prefetch > 0) ? builder.prefetch : builder.concurrency,
				builder.declare ? this::declareQueues : () -> { }, this::checkOpen);
		this.delays = new DelayQueues(this.topology, this.publisher, builder.clock, this.consumers.handOff());
		try {
			if (builder.declare) {
				declareQueues();
			}
			else {
				this.publisher.checkExists(this.topology.queue());
			}
		}
		catch (RuntimeException ex) {
			Connector.closeQuietly(this.publishConnection);
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
			JobDelivery delivery = accept(this.consumers.next());
			if (delivery != null) {
				return delivery;
			}
		}
	}

	private @Nullable JobDelivery accept(RawDelivery raw) {
		int deliveryCount = JobMessages.deliveryCount(raw);
		JobDecoder.Decoded decoded;
		try {
			decoded = this.decoder.decode(raw.body(), null);
		}
		catch (PoisonJobException ex) {
			deadLetter(raw, ex.getMessage());
			return null;
		}
		Job job = decoded.job();
		if (decoded.idAssigned()) {
			// no id: republish it with the one it was given, so that every redelivery keeps that id
			republish(raw, job, 0);
			return null;
		}
		if (this.maxDeliveries > 0 && deliveryCount > this.maxDeliveries) {
			deadLetter(raw, "Delivered " + deliveryCount + " times without completing (max-deliveries "
					+ this.maxDeliveries + "): job " + job.id() + ", workflow " + job.workflowName() + ", step "
					+ job.stepName());
			return null;
		}
		if (this.delays.keepsEarly(raw, job)) {
			return null;
		}
		if (raw.redelivered()) {
			this.redeliveries.incrementAndGet();
		}
		return new RabbitDelivery(this, raw, job, deliveryCount);
	}

	/**
	 * Puts a delivered message's job again, at the back of the queue or after a delay, counting this
	 * delivery in a header, then acknowledges the delivery: a failed job waits behind the others.
	 */
	void republish(RawDelivery raw, Job job, long delayMs) {
		AMQP.BasicProperties properties = this.messages.republished(raw, job);
		byte[] body = this.messages.body(job);
		try {
			this.delays.publishAfter(properties, body, delayMs);
		}
		catch (RuntimeException ex) {
			raw.requeue();
			throw ex;
		}
		raw.ack();
	}

	void deadLetter(RawDelivery raw, String reason) {
		AMQP.BasicProperties properties = this.messages.deadLettered(raw, reason);
		try {
			this.publisher.publish(this.topology.deadLetterQueue(), properties, raw.body());
		}
		catch (RuntimeException ex) {
			raw.requeue();
			throw new RabbitJobQueueException("Could not move a poison message (" + reason + ") to the dead-letter "
					+ "queue \"" + this.topology.deadLetterQueue() + "\"; it was requeued", ex);
		}
		raw.ack();
		this.deadLettered.incrementAndGet();
		logger.warn("Moved a message from \"{}\" to the dead-letter queue \"{}\": {}", this.topology.queue(),
				this.topology.deadLetterQueue(), reason);
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

	private void declareQueues() {
		this.publisher.declare(this.topology.deadLetterQueue(), this.topology.deadLetterQueueArguments());
		this.publisher.declare(this.topology.queue(), this.topology.workQueueArguments());
	}

	/**
	 * Tells whether this queue is connected to the broker, for health checks.
	 * @return {@link ConnectionState#CONNECTED} when every connection is open,
	 * {@link ConnectionState#RECOVERING} while one is being re-established (or a consumer the broker
	 * cancelled is not consuming again yet), {@link ConnectionState#CLOSED}
	 * after {@link #close()}
	 */
	public ConnectionState connectionState() {
		if (this.closed) {
			return ConnectionState.CLOSED;
		}
		if (!this.publishConnection.isOpen() || this.consumers.isRecovering()) {
			return ConnectionState.RECOVERING;
		}
		return ConnectionState.CONNECTED;
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
		long total = this.publisher.messageCount(this.topology.queue());
		if (total < 0) {
			return -1;
		}
		long delayed = this.delays.waiting();
		return (delayed < 0) ? -1 : total + delayed;
	}

	/**
	 * Returns the name of the work queue.
	 * @return the queue name
	 */
	public String queueName() {
		return this.topology.queue();
	}

	/**
	 * Returns the name of the dead-letter queue.
	 * @return the queue name
	 */
	public String deadLetterQueueName() {
		return this.topology.deadLetterQueue();
	}

	/**
	 * Returns the type of the queues this queue declares.
	 * @return classic or quorum
	 */
	public QueueType queueType() {
		return this.topology.type();
	}

	/**
	 * Returns how many unacknowledged jobs the broker sends each consumer at most.
	 * @return the prefetch
	 */
	public int prefetch() {
		return this.consumers.prefetch();
	}

	/**
	 * Returns how many consumers this queue opens when a worker first takes a job.
	 * @return the consumer count
	 */
	public int consumers() {
		return this.consumers.count();
	}

	/**
	 * Returns how many jobs this queue took that the broker had delivered before (to a worker that
	 * died, lost its connection or released them): steps that run again.
	 * @return the count since this queue was built
	 */
	public long redeliveries() {
		return this.redeliveries.get();
	}

	/**
	 * Returns how many messages this queue moved to the dead-letter queue.
	 * @return the count since this queue was built
	 */
	public long deadLettered() {
		return this.deadLettered.get();
	}

	/**
	 * Returns how many times a job arrived before its start time and was delayed again.
	 * @return the count since this queue was built
	 */
	public long delayHops() {
		return this.delays.hops();
	}

	/**
	 * Returns {@code true}: jobs with a future start time wait in RabbitMQ delay queues.
	 */
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
		Connector.closeQuietly(this.publishConnection);
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

		private String queue = "ergate.jobs";

		private @Nullable String deadLetterQueue;

		private QueueType queueType = QueueType.CLASSIC;

		private boolean declare = true;

		private int concurrency = 1;

		private int prefetch;

		private int consumers = 1;

		private int maxDeliveries = 10;

		private int maxPayloadBytes = JobDecoder.DEFAULT_MAX_PAYLOAD_BYTES;

		private Duration confirmTimeout = Duration.ofSeconds(30);

		private Duration recoveryInitial = Duration.ofMillis(500);

		private Duration recoveryMax = Duration.ofSeconds(30);

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
		 * Sets after how many deliveries of the same job state it is moved to the dead-letter queue
		 * rather than run again: a job that keeps killing its worker. Quorum queues count every
		 * delivery; classic queues only tell a first delivery from a redelivery, so the limit applies
		 * to quorum queues.
		 * @param maxDeliveries the limit, default 10; 0 for none
		 * @return this builder
		 */
		/**
		 * Sets the largest message body read as a job; a larger one is moved to the dead-letter queue
		 * unread.
		 * @param maxPayloadBytes 1 or more, default 1 MiB
		 * @return this builder
		 */
		public Builder maxPayloadBytes(int maxPayloadBytes) {
			if (maxPayloadBytes < 1) {
				throw new IllegalArgumentException("maxPayloadBytes must be 1 or more, was " + maxPayloadBytes);
			}
			this.maxPayloadBytes = maxPayloadBytes;
			return this;
		}

		/**
		 * Sets how many times a message may be delivered in the same state before it is moved to the
		 * dead-letter queue.
		 * @param maxDeliveries 1 or more, or 0 for no limit
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
