package io.ergate.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.ergate.InvalidDefinitionException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Reports Ergate's startup failures (an ambiguous queue or store, virtual threads on an old JVM, an
 * invalid or duplicate workflow, a step parameter nothing supplies, a bad {@code ergate.*} value) as
 * a description and an action, instead of a stack trace. It comes before Spring Boot's own analyzers,
 * which would otherwise describe the bean lookup or the binding underneath Ergate's message.
 */
class ErgateFailureAnalyzer implements FailureAnalyzer, Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		ErgateConfigurationException configuration = find(failure, ErgateConfigurationException.class);
		InvalidDefinitionException invalid = find(failure, InvalidDefinitionException.class);
		if (invalid != null) {
			String message = String.valueOf(invalid.getMessage());
			if (configuration != null && message.endsWith(": " + configuration.action())) {
				// a step parameter the application cannot supply: the engine's message names the
				// workflow, the step and the parameter, the resolver's the fix
				return analysis(message.substring(0, message.length() - configuration.action().length() - 2),
						configuration.action(), invalid);
			}
			String description = message.contains("cannot be registered") || message.contains("not a valid Ergate")
					? message : "An Ergate workflow cannot be registered: " + message;
			return new FailureAnalysis(description, "Fix the workflow as the description says, or remove its bean.",
					invalid);
		}
		if (configuration != null) {
			return analysis(configuration.description(), configuration.action(), configuration);
		}
		BindException binding = find(failure, BindException.class);
		if (binding != null && isErgate(binding.getName().toString())) {
			return analyzeBinding(binding);
		}
		return null;
	}

	private static FailureAnalysis analysis(String description, String action, Throwable cause) {
		return new FailureAnalysis(description + ".", Character.toUpperCase(action.charAt(0)) + action.substring(1) + ".",
				cause);
	}

	private static FailureAnalysis analyzeBinding(BindException binding) {
		BindValidationException validation = find(binding, BindValidationException.class);
		List<String> problems = new ArrayList<>();
		List<String> names = new ArrayList<>();
		if (validation != null) {
			for (ObjectError error : validation.getValidationErrors()) {
				if (error instanceof FieldError field) {
					String name = field.getObjectName() + "." + kebab(field.getField());
					names.add(name);
					Origin origin = Origin.from(field);
					if (origin == null) {
						ConfigurationPropertyName property = ConfigurationPropertyName.of(name);
						origin = validation.getValidationErrors()
							.getBoundProperties()
							.stream()
							.filter((bound) -> bound.getName().equals(property))
							.map(Origin::from)
							.findFirst()
							.orElse(null);
					}
					problems.add(name + " = " + field.getRejectedValue() + from(origin) + ": " + field.getDefaultMessage());
				}
				else {
					problems.add(validation.getValidationErrors().getName() + ": " + error.getDefaultMessage());
				}
			}
		}
		else {
			String name = binding.getName().toString();
			names.add(name);
			ConfigurationProperty property = binding.getProperty();
			Object value = (property != null) ? property.getValue() : null;
			Class<?> type = binding.getTarget().getType().resolve(Object.class);
			problems.add(name + " = " + value + from(Origin.from(property)) + ": " + expected(type));
		}
		String description = "Invalid Ergate configuration:" + problems.stream()
			.map((problem) -> System.lineSeparator() + "    " + problem)
			.collect(Collectors.joining());
		String action = "Change " + String.join(", ", names)
				+ " as the description says, or remove it to use the default (the README's Properties table and "
				+ "your IDE's completion list every ergate.* property with its default).";
		return new FailureAnalysis(description, action, binding);
	}

	private static String expected(Class<?> type) {
		if (type.isEnum()) {
			return "must be one of " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.collect(Collectors.joining(", "));
		}
		if (type == java.time.Duration.class) {
			return "must be a duration, such as 500ms, 30s or 5m";
		}
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
			return "must be a whole number";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "must be true or false";
		}
		return "cannot be converted to " + type.getSimpleName();
	}

	private static String from(@Nullable Origin origin) {
		return (origin != null) ? " (from " + origin + ")" : "";
	}

	private static boolean isErgate(String name) {
		return name.equals("ergate") || name.startsWith("ergate.");
	}

	/** workerConcurrency to worker-concurrency, as the properties are written. */
	private static String kebab(String field) {
		return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
