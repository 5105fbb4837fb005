package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * Supplies one parameter of a step or provider method for a step run. Built once, at registration.
 */
@FunctionalInterface
interface ArgumentResolver {

	@Nullable Object resolve(StepRun run) throws Exception;

}
