package io.ergate.dashboard.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ergate.AbortJob;
import io.ergate.GoToEnd;
import io.ergate.GoToStep;
import io.ergate.PathHint;
import io.ergate.Workflow;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The workflows of the dashboard's test applications: one that fails on a negative input, one that
 * branches, one that fails until the test makes it healthy, and one that waits until the test lets it go on.
 */
@Configuration(proxyBeanMethods = false)
public class TestWorkflows {

	/** Whether the {@code flaky} workflow's step succeeds. */
	public static final AtomicBoolean healthy = new AtomicBoolean();

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
	Workflow flaky() {
		return Workflow.builder("flaky")
			.step("call_partner", Integer.class, (in) -> {
				if (!healthy.get()) {
					throw new IllegalStateException("The partner service answered 503 Service Unavailable");
				}
				return in;
			})
			.step("record", Integer.class, (in) -> in)
			.build();
	}

}
