package io.ergate.autoconfigure.rabbitmq;

import java.time.Duration;

import io.ergate.rabbitmq.RabbitJobQueue;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of the RabbitMQ job queue, bound from the {@code ergate.rabbitmq.*} properties. The
 * connection itself (host, port, addresses, credentials, virtual host, SSL) is Spring Boot's:
 * {@code spring.rabbitmq.*}. Validated as it is bound.
 */
@ConfigurationProperties("ergate.rabbitmq")
public class ErgateRabbitProperties implements Validator {

	/**
	 * Whether Ergate's jobs travel through RabbitMQ. Default: when ergate-rabbitmq and
	 * spring-boot-amqp are on the classpath and a RabbitMQ connection is configured
	 * (spring.rabbitmq.host, spring.rabbitmq.addresses or spring.rabbitmq.port, or a service
	 * connection). True uses Spring Boot's defaults (localhost:5672) otherwise.
	 */
	private @Nullable Boolean enabled;

	/**
	 * Name of the durable queue the jobs travel through.
	 */
	private String queue = RabbitJobQueue.DEFAULT_QUEUE;

	/**
	 * Type of the queues Ergate declares: classic, or quorum (replicated; counts deliveries).
	 */
	private RabbitJobQueue.QueueType queueType = RabbitJobQueue.DEFAULT_QUEUE_TYPE;

	/**
	 * Name of the queue that receives poison messages (not JSON, not a valid job, delivered too
	 * often), with the reason in their x-ergate-dead-letter-reason header. Default: the queue name
	 * followed by ".dlq".
	 */
	private @Nullable String deadLetterQueue;

	/**
	 * How many unacknowledged jobs the broker sends each consumer at most. Default:
	 * ergate.worker.concurrency.
	 */
	private @Nullable Integer prefetch;

	/**
	 * How many consumers, each on a channel of its own, this application opens on the queue.
	 */
	private int consumers = RabbitJobQueue.DEFAULT_CONSUMERS;

	/**
	 * Whether to declare the queue and the dead-letter queue on startup. When false they must exist
	 * (the queue is checked on startup).
	 */
	private boolean declare = RabbitJobQueue.DEFAULT_DECLARE;

	/**
	 * After how many deliveries of the same job state it is moved to the dead-letter queue rather than
	 * run again (counted by quorum queues). 0 for no limit.
	 */
	private int maxDeliveries = RabbitJobQueue.DEFAULT_MAX_DELIVERIES;

	/**
	 * How long putting a job waits for the broker's publisher confirm before it fails.
	 */
	private Duration confirmTimeout = RabbitJobQueue.DEFAULT_CONFIRM_TIMEOUT;

	/**
	 * Backoff between attempts to reconnect after the connection was lost: the first delay, doubled on
	 * every attempt.
	 */
	private Duration recoveryInitialInterval = RabbitJobQueue.DEFAULT_RECOVERY_INITIAL_INTERVAL;

	/**
	 * Backoff between attempts to reconnect after the connection was lost: the longest delay.
	 */
	private Duration recoveryMaxInterval = RabbitJobQueue.DEFAULT_RECOVERY_MAX_INTERVAL;

	@Override
	public boolean supports(Class<?> type) {
		return type == ErgateRabbitProperties.class;
	}

	@Override
	public void validate(Object target, Errors errors) {
		ErgateRabbitProperties properties = (ErgateRabbitProperties) target;
		if (properties.getQueue().isBlank()) {
			errors.rejectValue("queue", "blank", "must not be blank");
		}
		if (properties.getPrefetch() != null && properties.getPrefetch() < 1) {
			errors.rejectValue("prefetch", "min", "must be 1 or more");
		}
		if (properties.getConsumers() < 1) {
			errors.rejectValue("consumers", "min", "must be 1 or more");
		}
		if (properties.getMaxDeliveries() < 0) {
			errors.rejectValue("maxDeliveries", "min", "must be 0 (no limit) or more");
		}
		if (properties.getConfirmTimeout().isNegative() || properties.getConfirmTimeout().isZero()) {
			errors.rejectValue("confirmTimeout", "min", "must be more than zero");
		}
		if (properties.getRecoveryInitialInterval().isNegative() || properties.getRecoveryInitialInterval().isZero()) {
			errors.rejectValue("recoveryInitialInterval", "min", "must be more than zero");
		}
		if (properties.getRecoveryMaxInterval().compareTo(properties.getRecoveryInitialInterval()) < 0) {
			errors.rejectValue("recoveryMaxInterval", "min",
					"must be at least ergate.rabbitmq.recovery-initial-interval (" + properties.getRecoveryInitialInterval() + ")");
		}
	}

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public String getQueue() {
		return this.queue;
	}

	public void setQueue(String queue) {
		this.queue = queue;
	}

	public RabbitJobQueue.QueueType getQueueType() {
		return this.queueType;
	}

	public void setQueueType(RabbitJobQueue.QueueType queueType) {
		this.queueType = queueType;
	}

	public @Nullable String getDeadLetterQueue() {
		return this.deadLetterQueue;
	}

	public void setDeadLetterQueue(@Nullable String deadLetterQueue) {
		this.deadLetterQueue = deadLetterQueue;
	}

	public @Nullable Integer getPrefetch() {
		return this.prefetch;
	}

	public void setPrefetch(@Nullable Integer prefetch) {
		this.prefetch = prefetch;
	}

	public int getConsumers() {
		return this.consumers;
	}

	public void setConsumers(int consumers) {
		this.consumers = consumers;
	}

	public boolean isDeclare() {
		return this.declare;
	}

	public void setDeclare(boolean declare) {
		this.declare = declare;
	}

	public int getMaxDeliveries() {
		return this.maxDeliveries;
	}

	public void setMaxDeliveries(int maxDeliveries) {
		this.maxDeliveries = maxDeliveries;
	}

	public Duration getConfirmTimeout() {
		return this.confirmTimeout;
	}

	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	public Duration getRecoveryInitialInterval() {
		return this.recoveryInitialInterval;
	}

	public void setRecoveryInitialInterval(Duration recoveryInitialInterval) {
		this.recoveryInitialInterval = recoveryInitialInterval;
	}

	public Duration getRecoveryMaxInterval() {
		return this.recoveryMaxInterval;
	}

	public void setRecoveryMaxInterval(Duration recoveryMaxInterval) {
		this.recoveryMaxInterval = recoveryMaxInterval;
	}

}
