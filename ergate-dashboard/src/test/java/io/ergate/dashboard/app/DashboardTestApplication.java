package io.ergate.dashboard.app;

import java.util.concurrent.CountDownLatch;

import io.ergate.AbortJob;
import io.ergate.GoToEnd;
import io.ergate.GoToStep;
import io.ergate.PathHint;
import io.ergate.Workflow;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The application the dashboard's tests drive: the in-memory queue and store, a few workflows (one that
 * fails on demand, one that branches, one that waits until the test lets it go on), and two users.
 */
@SpringBootApplication
public class DashboardTestApplication {

	/** Holds the {@code waiting} workflow's first step until the test counts it down. */
	public static volatile CountDownLatch gate = new CountDownLatch(1);

	@Bean
	Workflow orders() {
		return Workflow.builder("orders")
			.step("price", Integer.class, (in) -> {
				if (in != null && in < 0) {
					throw new IllegalArgumentException("A quantity cannot be negative: " + in);
				}
				return in;
			})
			.step("ship", Integer.class, (in) -> "shipped " + in)
			.build();
	}

	@Bean
	Workflow branching() {
		return Workflow.builder("branching")
			.step("classify", Integer.class, (in) -> {
				if (in == 0) {
					throw new GoToEnd("nothing to do");
				}
				if (in < 0) {
					throw new AbortJob("negative");
				}
				if (in > 100) {
					throw new GoToStep("handle_large", in);
				}
				return in;
			}, PathHint.goTo("handle_large"), PathHint.end())
			.step("handle_small", Integer.class, (in) -> in * 2)
			.step("handle_large", Integer.class, (in) -> in / 2)
			.build();
	}

	@Bean
	Workflow waiting() {
		return Workflow.builder("waiting")
			.step("wait", Integer.class, (in) -> {
				gate.await();
				return in;
			})
			.step("finish", Integer.class, (in) -> in)
			.build();
	}

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("viewer").password("{noop}viewer").roles("ERGATE_VIEWER").build(),
				User.withUsername("operator").password("{noop}operator").roles("ERGATE_OPERATOR").build(),
				User.withUsername("nobody").password("{noop}nobody").roles("OTHER").build());
	}

}
