package io.ergate.rabbitmq;

import java.time.Clock;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import io.ergate.Job;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a job travels as a RabbitMQ message: the body and properties of a job put, the properties of a
 * delivered message republished or dead-lettered, and its delivery count read from the headers.
 * Reading a body as a job is core's {@link io.ergate.JobDecoder}.
 */
final class JobMessages {

	/** The header counting the deliveries of a job before Ergate republished it (a failure, an id given). */
	static final String DELIVERIES_HEADER = "x-ergate-deliveries";

	/** The broker's count of earlier deliveries, on quorum queues. */
	private static final String BROKER_DELIVERY_COUNT_HEADER = "x-delivery-count";

	private final JsonMapper jsonMapper;

	private final Clock clock;

	private final String queue;

	JobMessages(JsonMapper jsonMapper, Clock clock, String queue) {
		this.jsonMapper = jsonMapper;
		this.clock = clock;
		this.queue = queue;
	}

	/** @return the job's JSON, the wire format of the original Ergate */
	byte[] body(Job job) {
		return this.jsonMapper.writeValueAsBytes(job);
	}

	/** @return the properties of a job put: persistent JSON, its id, workflow, step and status */
	AMQP.BasicProperties properties(Job job) {
		Map<String, Object> headers = new HashMap<>();
		headers.put("x-ergate-workflow", job.workflowName());
		if (job.stepName() != null) {
			headers.put("x-ergate-step", job.stepName());
		}
		headers.put("x-ergate-status", job.status().name());
		AMQP.BasicProperties.Builder builder = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.deliveryMode(2)
			.timestamp(Date.from(this.clock.instant()))
			.headers(headers);
		if (job.id() != null) {
			builder.messageId(String.valueOf(job.id()));
		}
		return builder.build();
	}

	/**
	 * @return the properties of a delivered message put again as the given job: its own, persistent,
	 * with the job's id and this delivery counted in {@link #DELIVERIES_HEADER}
	 */
	AMQP.BasicProperties republished(RawDelivery raw, Job job) {
		AMQP.BasicProperties original = raw.properties();
		Map<String, Object> headers = copyHeaders(original);
		headers.put(DELIVERIES_HEADER, deliveryCount(raw));
		AMQP.BasicProperties.Builder properties = original.builder().headers(headers).deliveryMode(2);
		if (job.id() != null) {
			properties.messageId(String.valueOf(job.id()));
		}
		return properties.build();
	}

	/** @return the properties of a delivered message moved to the dead-letter queue: the reason, where and when */
	AMQP.BasicProperties deadLettered(RawDelivery raw, String reason) {
		AMQP.BasicProperties original = raw.properties();
		Map<String, Object> headers = copyHeaders(original);
		headers.put(RabbitJobQueue.DEAD_LETTER_REASON_HEADER, reason);
		headers.put(RabbitJobQueue.ORIGINAL_QUEUE_HEADER, this.queue);
		headers.put("x-ergate-dead-lettered-at", this.clock.instant().toString());
		return original.builder().headers(headers).deliveryMode(2).build();
	}

	/** @return the same properties without the headers the broker sets */
	static AMQP.BasicProperties withoutBrokerHeaders(AMQP.BasicProperties properties) {
		return properties.builder().headers(copyHeaders(properties)).build();
	}

	/**
	 * The deliveries of this job in its current state: the ones before it was republished (counted in
	 * a header of Ergate's, since a republished message is new to the broker), plus the broker's own
	 * count (quorum queues) or redelivered flag (classic queues).
	 */
	static int deliveryCount(RawDelivery raw) {
		Map<String, Object> headers = raw.properties().getHeaders();
		int before = 0;
		Object earlier = (headers != null) ? headers.get(DELIVERIES_HEADER) : null;
		if (earlier instanceof Number number) {
			before = number.intValue();
		}
		Object count = (headers != null) ? headers.get(BROKER_DELIVERY_COUNT_HEADER) : null;
		if (count instanceof Number number) {
			return before + number.intValue() + 1;
		}
		return before + (raw.redelivered() ? 2 : 1);
	}

	private static Map<String, Object> copyHeaders(AMQP.BasicProperties properties) {
		Map<String, Object> headers = (properties.getHeaders() != null) ? new HashMap<>(properties.getHeaders())
				: new HashMap<>();
		// set by the broker on delivery and dead-lettering: not part of the job
		headers.remove(BROKER_DELIVERY_COUNT_HEADER);
		headers.remove("x-death");
		headers.remove("x-first-death-exchange");
		headers.remove("x-first-death-queue");
		headers.remove("x-first-death-reason");
		return headers;
	}

}
