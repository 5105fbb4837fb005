package io.ergate;

/**
 * Creates the instances of {@link Depends} provider classes. The default calls the public no-arg
 * constructor; the Spring Boot starter returns the provider's bean when there is one.
 * <p>
 * Called once per provider class when a workflow is registered.
 */
@FunctionalInterface
public interface ComponentFactory {

	/**
	 * Returns an instance of the given class.
	 * @param <T> the type
	 * @param type a provider class
	 * @return the instance
	 */
	<T> T getInstance(Class<T> type);

}
