package io.ergate.rabbitmq;

import java.time.Duration;

import javax.sql.DataSource;

import com.rabbitmq.client.ConnectionFactory;
import io.ergate.Ergate;
import io.ergate.contract.FailureCrashWorkflows;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcStateStore;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The worker process of {@link FailureCrashTests}: a RabbitMQ queue and the JDBC store on
 * PostgreSQL, running the contract kit's {@link FailureCrashWorkflows} until it is killed.
 * <p>
 * Arguments: queue, RabbitMQ host, port, user, password, JDBC URL, user, password, table prefix,
 * cancel check interval in milliseconds.
 */
public final class FailureCrashWorker {

	private FailureCrashWorker() {
	}

	public static void main(String[] args) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(args[1]);
		factory.setPort(Integer.parseInt(args[2]));
		factory.setUsername(args[3]);
		factory.setPassword(args[4]);
		Ergate ergate = engine(factory, args[0], dataSource(args[5], args[6], args[7]), args[8],
				Duration.ofMillis(Long.parseLong(args[9])));
		ergate.start(4);
		System.out.println("worker process " + ProcessHandle.current().pid() + " started");
		Thread.sleep(Duration.ofMinutes(5).toMillis()); // until killed
		ergate.stop(Duration.ofSeconds(5));
	}

	static DataSource dataSource(String url, String user, String password) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(url);
		dataSource.setUser(user);
		dataSource.setPassword(password);
		return dataSource;
	}

	static Ergate engine(ConnectionFactory factory, String queueName, DataSource dataSource, String prefix,
			Duration cancelCheckInterval) {
		RabbitJobQueue queue = RabbitJobQueue.builder(factory).queue(queueName).concurrency(4).build();
		Ergate ergate = Ergate.builder(queue, new JdbcStateStore(dataSource, JdbcOptions.builder().tablePrefix(prefix)
			.build()))
			.cancelCheckInterval(cancelCheckInterval)
			.build();
		return FailureCrashWorkflows.register(ergate, dataSource, prefix);
	}

}
