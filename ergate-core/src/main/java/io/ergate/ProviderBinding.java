package io.ergate;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * A {@link Depends} provider bound to the engine: its instance, its {@code provide} method with the
 * resolvers of its parameters, and its optional {@code release} method.
 */
final class ProviderBinding {

	private final Class<?> type;

	private final Object instance;

	private final Method provide;

	private final ArgumentResolver[] arguments;

	private final @Nullable Method release;

	ProviderBinding(Class<?> type, Object instance, Method provide, ArgumentResolver[] arguments,
			@Nullable Method release) {
		this.type = type;
		this.instance = instance;
		this.provide = provide;
		this.arguments = arguments;
		this.release = release;
	}

	Class<?> type() {
		return this.type;
	}

	@Nullable Object provide(StepRun run) throws Exception {
		Object[] args = new Object[this.arguments.length];
		for (int i = 0; i < args.length; i++) {
			args[i] = this.arguments[i].resolve(run);
		}
		return invoke(this.provide, this.instance, args);
	}

	void release(@Nullable Object value) throws Exception {
		if (this.release != null) {
			invoke(this.release, this.instance, value);
		}
		else if (value instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	static @Nullable Object invoke(Method method, Object target, @Nullable Object... args) throws Exception {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
