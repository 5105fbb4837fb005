/**
 * A reliable Ergate job queue on RabbitMQ: {@link io.ergate.rabbitmq.RabbitJobQueue}.
 * <ul>
 * <li>Jobs are persistent messages on a durable queue (classic or quorum) holding the job's JSON, the
 * wire format of the original Ergate. The work queue and its dead-letter queue are declared when the
 * queue is built, unless {@link io.ergate.rabbitmq.RabbitJobQueue.Builder#declare(boolean) declare} is
 * off.</li>
 * <li>A put returns only once the broker confirmed the message; a refusal, a returned message or no
 * confirm within the timeout raises {@link io.ergate.rabbitmq.RabbitJobQueueException}.</li>
 * <li>Deliveries are acknowledged manually: the delivery of a step is acknowledged only after the job
 * for the next step was confirmed, or the final state stored. A worker that dies mid-step leaves the
 * message unacknowledged, and the broker delivers it to another worker: every step runs at least once.
 * </li>
 * <li>Jobs whose {@code requested_start_time} is in the future wait in delay queues (fixed
 * time-to-live, dead-lettered into the work queue, no plugin) and are not delivered before their
 * time.</li>
 * <li>Messages that are not jobs (not JSON, invalid fields) and jobs delivered more than
 * {@link io.ergate.rabbitmq.RabbitJobQueue.Builder#maxDeliveries(int) maxDeliveries} times go to the
 * dead-letter queue, with the reason in a header; the consumer goes on.</li>
 * <li>Lost connections are recovered with exponential backoff;
 * {@link io.ergate.rabbitmq.RabbitJobQueue#connectionState()} tells health checks. Jobs in flight on
 * a lost channel are requeued by the broker and delivered again.</li>
 * </ul>
 * {@code RabbitJobQueue} is a façade over package-private parts, one mechanism each: {@code JobConsumers}
 * (consuming), {@code DeliveryRouter} (where a delivery goes), {@code DelayQueues} (early jobs),
 * {@code JobMessages} (message mapping), {@code Publisher} (confirmed publishing), {@code Topology}
 * (queue names and arguments), {@code Connector} (connections).
 */
@NullMarked
package io.ergate.rabbitmq;

import org.jspecify.annotations.NullMarked;
