package io.ergate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter of a step (or of another provider) that receives a dependency built for this
 * step run by a provider class.
 * <p>
 * A provider is a class with exactly one public method named {@code provide}. Its parameters are
 * resolved like a step's: {@link Input}, {@link Context}, {@code Depends} (to any depth), the
 * {@link Job}, or whatever an {@link ParameterResolver} supplies. Within one step run each provider
 * runs at most once, however many parameters ask for it. After the step, even when it throws, the
 * values are released in reverse order: by the provider's public {@code release} method taking the
 * value, when it has one, else by {@link AutoCloseable#close()} when the value is closeable.
 * <pre>{@code
 * public class ConnectionProvider {
 *     public Connection provide(@Context Settings settings) { ... }
 * }
 *
 * @Step(order = 1)
 * int count(@Depends(ConnectionProvider.class) Connection connection) { ... }
 * }</pre>
 * Provider instances come from the engine's {@link ComponentFactory} (by default: the public no-arg
 * constructor, once per provider class).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Depends {

	/**
	 * The provider class.
	 * @return a class with one public {@code provide} method
	 */
	Class<?> value();

}
