/**
 * The Ergate sample application: the tutorial workflows and an HTTP API to submit and follow jobs.
 */
@NullMarked
package io.ergate.sample;

import org.jspecify.annotations.NullMarked;
