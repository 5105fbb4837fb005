package io.ergate.autoconfigure;

import io.ergate.InvalidDefinitionException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Reports Ergate's startup failures (an ambiguous queue or store, virtual threads on an old JVM,
 * an invalid or duplicate workflow) as a description and an action, instead of a stack trace.
 */
class ErgateFailureAnalyzer implements FailureAnalyzer {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ErgateConfigurationException configuration) {
				String action = configuration.action();
				return new FailureAnalysis(configuration.description() + ".",
						Character.toUpperCase(action.charAt(0)) + action.substring(1) + ".", configuration);
			}
		}
		InvalidDefinitionException outermost = null;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidDefinitionException invalid) {
				outermost = invalid;
				break;
			}
		}
		if (outermost != null) {
			return new FailureAnalysis("An Ergate workflow cannot be registered: " + outermost.getMessage(),
					"Fix the workflow as the description says, or remove its bean.", outermost);
		}
		return null;
	}

}
