package io.ergate.jdbc;

import java.sql.Connection;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The calls into spring-jdbc, in a class of their own so that it is loaded only when spring-jdbc is
 * on the class path.
 */
final class SpringConnections {

	private SpringConnections() {
	}

	static Connection get(DataSource dataSource) {
		return DataSourceUtils.getConnection(dataSource);
	}

	static boolean isTransactional(Connection connection, DataSource dataSource) {
		return TransactionSynchronizationManager.isActualTransactionActive()
				&& DataSourceUtils.isConnectionTransactional(connection, dataSource);
	}

	static boolean isTransactionActive() {
		return TransactionSynchronizationManager.isActualTransactionActive();
	}

	static void release(Connection connection, DataSource dataSource) {
		DataSourceUtils.releaseConnection(connection, dataSource);
	}

}
