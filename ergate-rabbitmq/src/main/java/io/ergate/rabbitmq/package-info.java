/**
 * A reliable Ergate job queue on RabbitMQ: {@link io.ergate.rabbitmq.RabbitJobQueue}.
 * <p>
 * Jobs travel as persistent messages carrying the job's JSON through a durable queue; every put is
 * confirmed by the broker, and a delivery is acknowledged only once the job's successor was confirmed
 * or its final state stored, so no job is lost when a worker or the connection dies. Jobs with a future
 * {@code requested_start_time} wait in delay queues without any broker plugin; messages that cannot be
 * read as jobs go to a dead-letter queue with the reason in a header.
 */
@NullMarked
package io.ergate.rabbitmq;

import org.jspecify.annotations.NullMarked;
