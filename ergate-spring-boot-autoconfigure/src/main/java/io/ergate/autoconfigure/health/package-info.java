/**
 * The {@code ergate} health indicator, and the callback through which queues and stores add their
 * own details to it.
 */
@NullMarked
package io.ergate.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
