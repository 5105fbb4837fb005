/**
 * Auto-configuration of the RabbitMQ job queue of {@code ergate-rabbitmq}.
 */
@NullMarked
package io.ergate.autoconfigure.rabbitmq;

import org.jspecify.annotations.NullMarked;
