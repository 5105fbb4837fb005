/**
 * Micrometer Observation support for Ergate: one observation per step run and one per submission,
 * with the trace context carried from the submission to every step in the job's metadata.
 */
@NullMarked
package io.ergate.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
