package io.ergate.autoconfigure;

import io.ergate.Ergate;

/**
 * Callback to customize the auto-configured {@link Ergate} engine beyond the {@code ergate.*}
 * properties: add interceptors or listeners, set a clock, change the backoff. Declare one or more
 * as beans; they are called in {@link org.springframework.core.annotation.Order order}, after the
 * auto-configuration applied its own settings.
 */
@FunctionalInterface
public interface ErgateCustomizer {

	/**
	 * Customizes the engine's builder.
	 * @param builder the builder of the auto-configured engine
	 */
	void customize(Ergate.Builder builder);

}
