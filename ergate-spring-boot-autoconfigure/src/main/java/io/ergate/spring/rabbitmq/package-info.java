/**
 * Ergate rabbitmq support for Spring applications: the beans the auto-configuration declares.
 */
@NullMarked
package io.ergate.spring.rabbitmq;

import org.jspecify.annotations.NullMarked;
