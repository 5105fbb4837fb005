package io.ergate.dashboard.app;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application of the tests without Spring Security (which they hide from its class loader): the
 * in-memory queue and store and the {@link TestWorkflows}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestWorkflows.class)
public class PlainTestApplication {

}
