/**
 * The in-memory queue and state store: for tests, development and jobs that may be lost.
 */
@NullMarked
package io.ergate.memory;

import org.jspecify.annotations.NullMarked;
