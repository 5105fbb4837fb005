package io.ergate;

import java.lang.reflect.Parameter;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Supplies step and provider parameters that are not {@link Input}, {@link Context},
 * {@link Depends} or {@link Job}. The Spring Boot starter registers one that supplies beans.
 * <p>
 * Called once per parameter when a workflow is registered, never while steps run.
 */
@FunctionalInterface
public interface ParameterResolver {

	/**
	 * Tells how to supply a parameter.
	 * @param parameter the parameter of a step method or a provider's {@code provide} method
	 * @return a supplier called on every step run, or {@code null} when this resolver cannot supply
	 * the parameter
	 */
	@Nullable Supplier<?> resolve(Parameter parameter);

}
