package io.ergate.autoconfigure;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ergate.worker.on-fatal-error=exit}: closes the application context and exits the JVM with
 * status 1 when a worker dies of an error, on a thread of its own (the dying worker cannot wait for
 * the shutdown it starts).
 */
final class ExitOnFatalError implements Consumer<Throwable> {

	private static final Logger logger = LoggerFactory.getLogger(ExitOnFatalError.class);

	private final ConfigurableApplicationContext context;

	ExitOnFatalError(ConfigurableApplicationContext context) {
		this.context = context;
	}

	@Override
	public void accept(Throwable error) {
		logger.error("An Ergate worker died of {}; exiting (ergate.worker.on-fatal-error=exit)", error.toString());
		Thread exit = new Thread(() -> System.exit(SpringApplication.exit(this.context, () -> 1)),
				"ergate-fatal-exit");
		exit.start();
	}

}
