/**
 * The {@code ergate} Actuator endpoint: workflows, worker configuration and state, job counts.
 */
@NullMarked
package io.ergate.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
