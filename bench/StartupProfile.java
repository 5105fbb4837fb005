import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.metrics.StartupStep;

/**
 * Starts the sample app with Spring's {@link BufferingApplicationStartup} and prints one line: when
 * each startup phase ended, in milliseconds since the JVM started, and the exclusive time of the
 * startup steps of Ergate's own beans (auto-configuration, engine, worker, workflow registration).
 * Used by {@code bench/startup-profile.sh}; the context is refreshed (and so the worker started) at
 * {@code refreshed}.
 */
public final class StartupProfile {

	public static void main(String[] args) throws Exception {
		long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
		Map<String, Long> ends = new LinkedHashMap<>();
		ends.put("main", System.currentTimeMillis() - jvmStart);
		Class<?> application = Class.forName("io.ergate.sample.SampleApplication");
		SpringApplication app = new SpringApplication(application);
		app.setMainApplicationClass(application);
		BufferingApplicationStartup startup = new BufferingApplicationStartup(20_000);
		app.setApplicationStartup(startup);
		long[] refreshed = new long[1];
		app.addListeners((ContextRefreshedEvent event) -> refreshed[0] = System.currentTimeMillis() - jvmStart);
		ConfigurableApplicationContext context = app.run(args);

		StartupTimeline timeline = startup.getBufferedTimeline();
		ends.put("run", timeline.getStartTime().toEpochMilli() - jvmStart);
		Map<Long, Long> childrenNanos = new HashMap<>();
		for (StartupTimeline.TimelineEvent event : timeline.getEvents()) {
			Long parent = event.getStartupStep().getParentId();
			if (parent != null) {
				childrenNanos.merge(parent, event.getDuration().toNanos(), Long::sum);
			}
		}
		long ergateNanos = 0;
		for (StartupTimeline.TimelineEvent event : timeline.getEvents()) {
			StartupStep step = event.getStartupStep();
			long end = event.getEndTime().toEpochMilli() - jvmStart;
			switch (step.getName()) {
				case "spring.boot.application.environment-prepared" -> ends.put("environment", end);
				case "spring.boot.application.context-loaded" -> ends.put("context", end);
				case "spring.context.beans.post-process" -> ends.put("bean_definitions", end);
				case "spring.boot.webserver.create" -> ends.put("web_server", end);
				default -> {
				}
			}
			if (isErgate(step)) {
				ergateNanos += event.getDuration().toNanos() - childrenNanos.getOrDefault(step.getId(), 0L);
			}
		}
		ends.put("refreshed", refreshed[0]);
		StringBuilder line = new StringBuilder("startup_profile");
		ends.forEach((phase, ms) -> line.append(' ').append(phase).append("_ms=").append(ms));
		line.append(" ergate_beans_ms=").append(ergateNanos / 1_000_000);
		System.out.println(line);
		context.close();
		System.exit(0);
	}

	private static boolean isErgate(StartupStep step) {
		if (!step.getName().startsWith("spring.beans.")) {
			return false;
		}
		for (StartupStep.Tag tag : step.getTags()) {
			String value = tag.getValue();
			boolean ergateBean = tag.getKey().equals("beanName")
					&& (value.startsWith("ergate") || value.startsWith("io.ergate.autoconfigure."));
			boolean ergateType = tag.getKey().equals("beanType") && value.contains(" io.ergate.")
					&& !value.contains(" io.ergate.sample.");
			if (ergateBean || ergateType) {
				return true;
			}
		}
		return false;
	}

}
