package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * A step's code bound to the engine, ready to run.
 */
@FunctionalInterface
interface BoundStep {

	@Nullable Object invoke(StepRun run) throws Exception;

}
