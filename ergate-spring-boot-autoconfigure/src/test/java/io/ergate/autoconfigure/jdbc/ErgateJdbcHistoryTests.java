package io.ergate.autoconfigure.jdbc;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import io.ergate.JobHistory;
import io.ergate.StateStore;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcStateStore;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ergate.jdbc.history.*}: the job history of the JDBC state store, off by default, on with
 * {@code enabled=true} and the retention given (7 days unless set).
 */
class ErgateJdbcHistoryTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateJdbcAutoConfiguration.class, ErgateAutoConfiguration.class))
		.withPropertyValues("ergate.worker.enabled=false")
		.withBean(DataSource.class, ErgateJdbcHistoryTests::h2);

	private static DataSource h2() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		dataSource.setUser("sa");
		return dataSource;
	}

	@Test
	void offByDefault() {
		this.runner.run((context) -> {
			assertThat(context.getBean(JdbcOptions.class).historyEnabled()).isFalse();
			assertThat(context.getBean(StateStore.class)).isInstanceOf(JdbcStateStore.class);
		});
	}

	@Test
	void enabledWithItsRetention() {
		this.runner.withPropertyValues("ergate.jdbc.history.enabled=true").run((context) -> {
			JdbcOptions options = context.getBean(JdbcOptions.class);
			assertThat(options.historyEnabled()).isTrue();
			assertThat(options.historyRetention()).isEqualTo(Duration.ofDays(7));
			JobHistory history = (JobHistory) context.getBean(StateStore.class);
			assertThat(history.history("unknown")).isEmpty();
		});
		this.runner.withPropertyValues("ergate.jdbc.history.enabled=true", "ergate.jdbc.history.retention=12h")
			.run((context) -> assertThat(context.getBean(JdbcOptions.class).historyRetention())
				.isEqualTo(Duration.ofHours(12)));
	}

	@Test
	void aRetentionUnderASecondFailsTheStartup() {
		this.runner.withPropertyValues("ergate.jdbc.history.enabled=true", "ergate.jdbc.history.retention=10ms")
			.run((context) -> assertThat(context).hasFailed());
	}

}
