package io.ergate;

import java.lang.reflect.Method;

/**
 * The code of a step, as it was defined: a typed lambda, a handler lambda or an annotated method.
 * Bound to the engine's resolvers when its workflow is registered.
 */
sealed interface StepBody {

	/** A {@link StepFunction} of a given input type. */
	record Function(Class<?> inputType, StepFunction<?> function) implements StepBody {
	}

	/** A {@link StepHandler}. */
	record Handler(StepHandler handler) implements StepBody {
	}

	/** A {@link Step} method of an {@link ErgateWorkflow} instance. */
	record Invocation(Object target, Method method) implements StepBody {
	}

}
