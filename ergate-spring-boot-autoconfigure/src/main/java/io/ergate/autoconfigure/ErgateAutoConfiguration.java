package io.ergate.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import io.ergate.Ergate;
import io.ergate.ErgateWorkflow;
import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.JobJsonFormat;
import io.ergate.JobListener;
import io.ergate.JobQueue;
import io.ergate.ParameterResolver;
import io.ergate.StateStore;
import io.ergate.StepInterceptor;
import io.ergate.Workflow;
import io.ergate.spring.ErgateClient;
import io.ergate.spring.ErgateJobEvent;
import io.ergate.spring.ErgateWorker;
import io.ergate.spring.JobSubmissionInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.system.JavaVersion;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration for Ergate: an {@link Ergate} engine on the context's {@link JobQueue} and
 * {@link StateStore} beans (in-memory ones when there are none), with every {@link Workflow} bean and
 * every bean annotated {@link ErgateWorkflow} registered; an {@link ErgateClient} to submit jobs; a
 * managed {@link ErgateWorker} running the jobs; and the job lifecycle published as
 * {@link ErgateJobEvent}s.
 * <p>
 * Step parameters that are not {@code @Input}, {@code @Context}, {@code @Depends} or {@code Job} are
 * resolved as beans; {@code @Depends} providers are beans when the context has one, else are created
 * and autowired. {@link ParameterResolver}, {@link JobListener}, {@link StepInterceptor} and
 * {@link ErgateCustomizer} beans are applied to the engine, {@link JobSubmissionInterceptor} beans to
 * the client.
 * <p>
 * Auto-configurations of durable queues and stores declare themselves
 * {@code @AutoConfiguration(before = ErgateAutoConfiguration.class)}, so that their beans make the
 * in-memory defaults back off. {@code ergate.enabled=false} turns all of this off.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(Ergate.class)
@ConditionalOnBooleanProperty(name = "ergate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ErgateProperties.class)
public final class ErgateAutoConfiguration {

	/**
	 * The name of the {@link Executor} bean that, when declared, runs the worker loops instead of
	 * the threads the auto-configuration creates.
	 */
	public static final String WORKER_EXECUTOR_BEAN_NAME = "ergateWorkerExecutor";

	private static final Logger logger = LoggerFactory.getLogger(ErgateAutoConfiguration.class);

	ErgateAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean({ JobQueue.class, Ergate.class })
	InMemoryJobQueue ergateJobQueue() {
		logger.warn("Ergate is using an in-memory job queue because the application declares no JobQueue bean: "
				+ "jobs waiting in it are lost when the application stops, and no other instance can run them. "
				+ "For durable jobs declare a JobQueue bean (for example from ergate-rabbitmq or ergate-jdbc).");
		return new InMemoryJobQueue();
	}

	@Bean
	@ConditionalOnMissingBean({ StateStore.class, Ergate.class })
	InMemoryStateStore ergateStateStore(ErgateProperties properties) {
		logger.warn("Ergate is using an in-memory state store because the application declares no StateStore "
				+ "bean: the state of every job is lost when the application stops. "
				+ "For durable job states declare a StateStore bean (for example from ergate-jdbc).");
		return new InMemoryStateStore(properties.getInMemory().getMaxFinishedJobs(),
				properties.getInMemory().getHistoryPerJob());
	}

	/**
	 * The job JSON format of the queues and stores, from {@code ergate.json.*}; the durable adapters'
	 * auto-configurations apply it to the mapper they give their queue and store.
	 */
	@Bean
	@ConditionalOnMissingBean
	JobJsonFormat ergateJobJsonFormat(ErgateProperties properties) {
		return properties.getJson().toFormat();
	}

	@Bean
	@ConditionalOnMissingBean
	Ergate ergate(ConfigurableListableBeanFactory beanFactory, ErgateProperties properties,
			ApplicationEventPublisher eventPublisher, ConfigurableApplicationContext applicationContext,
			ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<ParameterResolver> parameterResolvers, ObjectProvider<JobListener> listeners,
			ObjectProvider<StepInterceptor> interceptors, ObjectProvider<ErgateCustomizer> customizers) {
		JobQueue queue = single(beanFactory, JobQueue.class);
		StateStore stateStore = single(beanFactory, StateStore.class);
		ErgateProperties.Backoff backoff = properties.getWorker().getBackoff();
		Ergate.Builder builder = Ergate.builder(queue, stateStore)
			.jsonMapper(jsonMapper.getIfUnique(JsonMapper::shared))
			.componentFactory(new BeanComponentFactory(beanFactory))
			.backoff(backoff.getInitial(), backoff.getMax())
			.poisonAttempts(properties.getWorker().getPoisonAttempts())
			.defaultRetry(properties.getRetry().toPolicy())
			.interruptOnCancel(properties.getWorker().isInterruptOnCancel())
			.cancelCheckInterval(properties.getWorker().getCancelCheckInterval());
		Duration stepTimeout = properties.getStep().getDefaultTimeout();
		if (stepTimeout != null) {
			builder.defaultStepTimeout(stepTimeout);
		}
		if (properties.getWorker().getOnFatalError() == ErgateProperties.FatalErrorAction.EXIT) {
			builder.fatalErrorHandler(new ExitOnFatalError(applicationContext));
		}
		parameterResolvers.orderedStream().forEach(builder::parameterResolver);
		builder.parameterResolver(new BeanParameterResolver(beanFactory));
		builder.listener(new EventPublishingJobListener(eventPublisher));
		listeners.orderedStream().forEach(builder::listener);
		interceptors.orderedStream().forEach(builder::interceptor);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	WorkflowRegistrar ergateWorkflowRegistrar(ConfigurableListableBeanFactory beanFactory, Ergate ergate) {
		return new WorkflowRegistrar(beanFactory, ergate);
	}

	@Bean
	@ConditionalOnMissingBean(name = "ergateLazyInitializationExcludeFilter")
	static LazyInitializationExcludeFilter ergateLazyInitializationExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(WorkflowRegistrar.class, ErgateWorker.class);
	}

	@Bean
	@ConditionalOnMissingBean
	ErgateClient ergateClient(Ergate ergate, ObjectProvider<JobSubmissionInterceptor> submissionInterceptors) {
		return new ErgateClient(ergate, submissionInterceptors.orderedStream().toList());
	}

	private static <T> T single(ConfigurableListableBeanFactory beanFactory, Class<T> type) {
		T bean = beanFactory.getBeanProvider(type).getIfUnique();
		if (bean != null) {
			return bean;
		}
		String[] names = beanFactory.getBeanNamesForType(type);
		if (names.length == 0) {
			throw new ErgateConfigurationException("Ergate needs a " + type.getSimpleName() + " bean and found none",
					"declare one");
		}
		throw new ErgateConfigurationException("Ergate needs one " + type.getSimpleName() + " bean but found "
				+ names.length + ": " + Arrays.stream(names).map((name) -> "'" + name + "'")
					.collect(Collectors.joining(", ")),
				"mark the one Ergate should use @Primary, or remove the others");
	}

	/**
	 * The managed worker, unless {@code ergate.worker.enabled=false}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "ergate.worker.enabled", matchIfMissing = true)
	static class WorkerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ErgateWorker ergateWorker(Ergate ergate, ErgateProperties properties, Environment environment,
				@Qualifier(WORKER_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> userExecutor) {
			ErgateProperties.Worker settings = properties.getWorker();
			Executor executor = userExecutor.getIfAvailable(() -> createExecutor(settings, environment));
			ErgateWorker worker = new ErgateWorker(ergate, executor, settings.getConcurrency());
			worker.setAutoStartup(settings.isAutoStartup());
			worker.setPhase(settings.getPhase());
			worker.setShutdownTimeout(shutdownTimeout(settings, environment));
			return worker;
		}

		private static Executor createExecutor(ErgateProperties.Worker settings, Environment environment) {
			if (useVirtualThreads(settings, environment)) {
				return new VirtualThreadTaskExecutor(settings.getThreadNamePrefix());
			}
			return new SimpleAsyncTaskExecutor(settings.getThreadNamePrefix());
		}

		private static boolean useVirtualThreads(ErgateProperties.Worker settings, Environment environment) {
			Boolean virtualThreads = settings.getVirtualThreads();
			if (virtualThreads == null) {
				return Threading.VIRTUAL.isActive(environment);
			}
			if (virtualThreads && JavaVersion.getJavaVersion().isOlderThan(JavaVersion.TWENTY_ONE)) {
				throw new ErgateConfigurationException("ergate.worker.virtual-threads=true needs Java 21 or newer, "
						+ "but this application runs on Java " + System.getProperty("java.version"),
						"run it on Java 21+, or set ergate.worker.virtual-threads=false");
			}
			return virtualThreads;
		}

		/**
		 * The worker's timeout, capped by the time Spring gives each shutdown phase.
		 */
		private static Duration shutdownTimeout(ErgateProperties.Worker settings, Environment environment) {
			Duration perPhase = Binder.get(environment)
				.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
				.orElse(Duration.ofSeconds(30));
			Duration configured = settings.getShutdownTimeout();
			return (perPhase.compareTo(configured) < 0) ? perPhase : configured;
		}

	}

}
