package io.ergate.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Ergate sample application: the tutorial workflows on the embedded in-memory queue and store,
 * an HTTP API to submit and follow jobs, and a few demo jobs submitted at startup.
 */
@SpringBootApplication
public class SampleApplication {

	/**
	 * Runs the application.
	 * @param args command-line arguments, such as {@code --server.port=9090}
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
