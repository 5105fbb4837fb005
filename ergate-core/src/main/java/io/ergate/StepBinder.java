package io.ergate;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * Binds step definitions to the engine once, at registration: decides how every parameter of a
 * step or provider method is supplied, so that nothing is looked up by reflection while steps run.
 */
final class StepBinder {

	private final PayloadConverter converter;

	private final List<ParameterResolver> parameterResolvers;

	private final ComponentFactory componentFactory;

	private final Map<Class<?>, ProviderBinding> providers = new ConcurrentHashMap<>();

	private final Set<Class<?>> binding = new LinkedHashSet<>();

	StepBinder(PayloadConverter converter, List<ParameterResolver> parameterResolvers,
			ComponentFactory componentFactory) {
		this.converter = converter;
		this.parameterResolvers = List.copyOf(parameterResolvers);
		this.componentFactory = componentFactory;
	}

	PayloadConverter converter() {
		return this.converter;
	}

	BoundStep bind(String workflowName, WorkflowStep step) {
		String where = "Workflow \"" + workflowName + "\", step \"" + step.name() + "\"";
		StepBody body = step.body();
		if (body instanceof StepBody.Function function) {
			JavaType type = this.converter.type(function.inputType());
			@SuppressWarnings("unchecked")
			StepFunction<Object> code = (StepFunction<Object>) function.function();
			String what = "The input of step \"" + step.name() + "\"";
			return (run) -> code.apply(this.converter.convert(run.rawInput(), type, what));
		}
		if (body instanceof StepBody.Handler handler) {
			StepHandler code = handler.handler();
			return code::handle;
		}
		StepBody.Invocation invocation = (StepBody.Invocation) body;
		Method method = invocation.method();
		Object target = invocation.target();
		ArgumentResolver[] arguments = arguments(method, where, step.name());
		if (arguments.length == 0) {
			return (run) -> ProviderBinding.invoke(method, target);
		}
		return (run) -> {
			Object[] args = new Object[arguments.length];
			for (int i = 0; i < args.length; i++) {
				args[i] = arguments[i].resolve(run);
			}
			return ProviderBinding.invoke(method, target, args);
		};
	}

	/** The binding of a provider type; bound on first use, then read without a lock (on every step). */
	ProviderBinding provider(Class<?> type) {
		ProviderBinding existing = this.providers.get(type);
		return (existing != null) ? existing : bindProvider(type);
	}

	private synchronized ProviderBinding bindProvider(Class<?> type) {
		ProviderBinding existing = this.providers.get(type);
		if (existing != null) {
			return existing;
		}
		if (!this.binding.add(type)) {
			throw new InvalidDefinitionException("Dependency providers depend on each other in a cycle: "
					+ this.binding.stream().map(Class::getSimpleName).collect(Collectors.joining(" -> ")) + " -> "
					+ type.getSimpleName() + ": break the cycle");
		}
		try {
			Method provide = single(type, "provide");
			if (provide == null) {
				throw new InvalidDefinitionException("Dependency provider " + type.getName()
						+ " needs exactly one public method named \"provide\" returning the dependency");
			}
			Method release = single(type, "release");
			if (release != null && release.getParameterCount() != 1) {
				throw new InvalidDefinitionException("Dependency provider " + type.getName()
						+ ": its release method must take one parameter, the value to release");
			}
			Object instance;
			try {
				instance = this.componentFactory.getInstance(type);
			}
			catch (RuntimeException ex) {
				throw new InvalidDefinitionException("Dependency provider " + type.getName()
						+ " could not be created: " + ex.getMessage()
						+ " (give it a public no-arg constructor, or make it a bean with the Spring Boot starter)", ex);
			}
			provide.setAccessible(true);
			if (release != null) {
				release.setAccessible(true);
			}
			ArgumentResolver[] arguments = arguments(provide, "Dependency provider " + type.getName(), "provide");
			ProviderBinding binding = new ProviderBinding(type, instance, provide, arguments, release);
			this.providers.put(type, binding);
			return binding;
		}
		finally {
			this.binding.remove(type);
		}
	}

	private static @Nullable Method single(Class<?> type, String name) {
		List<Method> found = new ArrayList<>(1);
		for (Method method : type.getMethods()) {
			if (method.getName().equals(name) && !Modifier.isStatic(method.getModifiers()) && !method.isBridge()) {
				found.add(method);
			}
		}
		return (found.size() == 1) ? found.get(0) : null;
	}

	private ArgumentResolver[] arguments(Method method, String where, String stepName) {
		Parameter[] parameters = method.getParameters();
		ArgumentResolver[] resolvers = new ArgumentResolver[parameters.length];
		for (int i = 0; i < parameters.length; i++) {
			resolvers[i] = argument(parameters[i], where, stepName);
		}
		return resolvers;
	}

	private ArgumentResolver argument(Parameter parameter, String where, String stepName) {
		int annotated = (parameter.isAnnotationPresent(Input.class) ? 1 : 0)
				+ (parameter.isAnnotationPresent(Context.class) ? 1 : 0)
				+ (parameter.isAnnotationPresent(Depends.class) ? 1 : 0);
		if (annotated > 1) {
			throw new InvalidDefinitionException(where + ": parameter \"" + parameter.getName()
					+ "\" has more than one of @Input, @Context and @Depends: keep one");
		}
		if (parameter.isAnnotationPresent(Input.class)) {
			JavaType type = this.converter.type(parameter.getParameterizedType());
			String what = "The input of " + stepName + " (parameter \"" + parameter.getName() + "\")";
			return (run) -> this.converter.convert(run.rawInput(), type, what);
		}
		if (parameter.isAnnotationPresent(Context.class)) {
			JavaType type = this.converter.type(parameter.getParameterizedType());
			String what = "The user_context of " + stepName + " (parameter \"" + parameter.getName() + "\")";
			return (run) -> this.converter.convert(run.job().userContext(), type, what);
		}
		Depends depends = parameter.getAnnotation(Depends.class);
		if (depends != null) {
			ProviderBinding provider = provider(depends.value());
			return (run) -> run.dependency(provider);
		}
		if (parameter.getType() == Job.class) {
			return StepRun::job;
		}
		if (parameter.getType() == StepContext.class) {
			return (run) -> run;
		}
		for (ParameterResolver resolver : this.parameterResolvers) {
			Supplier<?> supplier;
			try {
				supplier = resolver.resolve(parameter);
			}
			catch (InvalidDefinitionException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				throw new InvalidDefinitionException(where + ": parameter \"" + parameter.getName() + "\" ("
						+ parameter.getParameterizedType().getTypeName() + ") cannot be supplied: " + ex.getMessage(), ex);
			}
			if (supplier != null) {
				return (run) -> supplier.get();
			}
		}
		throw new InvalidDefinitionException(where + ": parameter \"" + parameter.getName() + "\" ("
				+ parameter.getParameterizedType().getTypeName()
				+ ") cannot be supplied: annotate it @Input, @Context or @Depends(Provider.class), declare it as Job"
				+ (this.parameterResolvers.isEmpty() ? ""
						: ", or make it something a ParameterResolver supplies (with Spring: a bean)"));
	}

}
