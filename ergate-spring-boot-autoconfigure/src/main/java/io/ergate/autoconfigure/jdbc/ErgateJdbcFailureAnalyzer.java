package io.ergate.autoconfigure.jdbc;

import io.ergate.spring.jdbc.MissingSchemaException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Reports missing Ergate JDBC tables as a description (which tables, which database, the setting) and
 * an action (the setting to change, or the script to run), ahead of the SQL errors underneath.
 */
class ErgateJdbcFailureAnalyzer implements FailureAnalyzer, Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof MissingSchemaException missing) {
				String action = missing.action();
				return new FailureAnalysis(missing.description() + ".",
						Character.toUpperCase(action.charAt(0)) + action.substring(1) + ".", missing);
			}
		}
		return null;
	}

}
