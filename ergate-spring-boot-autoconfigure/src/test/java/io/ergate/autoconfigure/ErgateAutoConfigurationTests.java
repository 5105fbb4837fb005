package io.ergate.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.Ergate;
import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobListener;
import io.ergate.JobQueue;
import io.ergate.JobStatus;
import io.ergate.ParameterResolver;
import io.ergate.QueryableStateStore;
import io.ergate.StateStore;
import io.ergate.StepInterceptor;
import io.ergate.StepOutcome;
import io.ergate.StepResult;
import io.ergate.UnknownWorkflowException;
import io.ergate.WorkerStatus;
import io.ergate.Workflow;
import io.ergate.spring.ErgateClient;
import io.ergate.spring.ErgateJobEvent;
import io.ergate.spring.ErgateWorker;
import io.ergate.spring.JobFailedEvent;
import io.ergate.spring.JobFinishedEvent;
import io.ergate.spring.JobStartedEvent;
import io.ergate.spring.JobStepCompletedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ErgateAutoConfiguration}: every condition, property and failure message.
 */
@ExtendWith(OutputCaptureExtension.class)
class ErgateAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class));

	@Test
	void defaultsToInMemoryQueueAndStoreWithOneWarningEach(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(Ergate.class)
				.hasSingleBean(ErgateClient.class)
				.hasSingleBean(ErgateWorker.class)
				.hasSingleBean(InMemoryJobQueue.class)
				.hasSingleBean(InMemoryStateStore.class)
				.hasSingleBean(QueryableStateStore.class);
			Ergate ergate = context.getBean(Ergate.class);
			assertThat(ergate.queue()).isSameAs(context.getBean(JobQueue.class));
			assertThat(ergate.stateStore()).isSameAs(context.getBean(StateStore.class));
			assertThat(context.getBean(ErgateWorker.class).isRunning()).isTrue();
			assertThat(ergate.status().state()).isEqualTo(WorkerStatus.State.RUNNING);
			assertThat(ergate.status().workers()).isEqualTo(4);
		});
		assertThat(occurrences(output.getOut(), "WARN", "in-memory job queue")).isEqualTo(1);
		assertThat(occurrences(output.getOut(), "WARN", "in-memory state store")).isEqualTo(1);
		assertThat(output.getOut()).contains("jobs waiting in it are lost when the application stops")
			.contains("declare a JobQueue bean")
			.contains("the state of every job is lost when the application stops")
			.contains("declare a StateStore bean");
	}

	@Test
	void userQueueAndStoreReplaceTheInMemoryDefaults(CapturedOutput output) {
		JobQueue queue = new InMemoryJobQueue();
		StateStore store = (job) -> {
		};
		this.runner.withBean("myQueue", JobQueue.class, () -> queue)
			.withBean("myStore", StateStore.class, () -> store)
			.run((context) -> {
				assertThat(context).doesNotHaveBean("ergateJobQueue").doesNotHaveBean("ergateStateStore");
				Ergate ergate = context.getBean(Ergate.class);
				assertThat(ergate.queue()).isSameAs(queue);
				assertThat(ergate.stateStore()).isSameAs(store);
			});
		assertThat(output.getOut()).doesNotContain("in-memory job queue").doesNotContain("in-memory state store");
	}

	@Test
	void onlyTheMissingDefaultIsCreated() {
		this.runner.withBean("myStore", StateStore.class, () -> (job) -> {
		}).run((context) -> {
			assertThat(context).hasSingleBean(InMemoryJobQueue.class).doesNotHaveBean(InMemoryStateStore.class);
		});
	}

	@Test
	void queueAndStoreOfAnAdapterAutoConfigurationOrderedBeforeReplaceTheDefaults(CapturedOutput output) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class, AdapterAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean("ergateJobQueue").doesNotHaveBean("ergateStateStore");
				assertThat(context.getBean(Ergate.class).queue()).isSameAs(context.getBean("adapterQueue"));
				assertThat(context.getBean(Ergate.class).stateStore()).isSameAs(context.getBean("adapterStore"));
			});
		assertThat(output.getOut()).doesNotContain("in-memory");
	}

	@Test
	void lazyInitializationStillRegistersTheWorkflowsAndStartsTheWorker() {
		this.runner
			.withInitializer((context) -> context
				.addBeanFactoryPostProcessor(new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
			.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.run((context) -> {
				assertThat(context.getBeanFactory().getBeanDefinition("ergate").isLazyInit()).isTrue();
				assertThat(context.getBean(ErgateWorker.class).isRunning()).isTrue();
				assertThat(context.getBean(Ergate.class).workflow("add_then_double")).isPresent();
			});
	}

	@Test
	void stepInputsAreConvertedWithTheContextsJsonMapper() {
		JsonMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
		Workflow workflow = Workflow.builder("point").step("read", Point.class, (point) -> point.x() + point.y()).build();
		this.runner.withBean("point", Workflow.class, () -> workflow).run((context) -> {
			String id = context.getBean(ErgateClient.class).submit("point", Map.of("x", 1, "y", 2, "z", 3), null);
			assertThat(awaitFinal(context, id).lastReturnValue()).isEqualTo(3);
		});
		this.runner.withBean("point", Workflow.class, () -> workflow)
			.withBean(JsonMapper.class, () -> strict)
			.run((context) -> {
				String id = context.getBean(ErgateClient.class).submit("point", Map.of("x", 1, "y", 2, "z", 3), null);
				Job failed = awaitFinal(context, id);
				assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
				assertThat(failed.exceptionTraceback()).contains("\"z\"");
			});
	}

	@Test
	void twoQueueBeansWithoutPrimaryFailNamingTheBeans() {
		this.runner.withBean("firstQueue", JobQueue.class, InMemoryJobQueue::new)
			.withBean("secondQueue", JobQueue.class, InMemoryJobQueue::new)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Ergate needs one JobQueue bean but found 2")
				.hasMessageContaining("'firstQueue'")
				.hasMessageContaining("'secondQueue'")
				.hasMessageContaining("@Primary"));
	}

	@Test
	void twoQueueBeansWithAPrimaryUseThePrimary() {
		this.runner.withUserConfiguration(TwoQueuesOnePrimaryConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Ergate.class).queue()).isSameAs(context.getBean("primaryQueue"));
		});
	}

	@Test
	void twoStoreBeansWithoutPrimaryFailNamingTheBeans() {
		this.runner.withBean("firstStore", StateStore.class, InMemoryStateStore::new)
			.withBean("secondStore", StateStore.class, InMemoryStateStore::new)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Ergate needs one StateStore bean but found 2")
				.hasMessageContaining("'firstStore'")
				.hasMessageContaining("'secondStore'"));
	}

	@Test
	void registersWorkflowBeansAndAnnotatedBeansAndRunsThem() {
		List<String> threads = new CopyOnWriteArrayList<>();
		this.runner.withUserConfiguration(GreetingConfiguration.class)
			.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(threads))
			.run((context) -> {
				Ergate ergate = context.getBean(Ergate.class);
				assertThat(ergate.workflows()).extracting(Workflow::name).containsExactly("add_then_double", "greeting");
				runBothWorkflows(context);
				assertThat(threads).allMatch((name) -> name.startsWith("ergate-worker-"));
			});
	}

	@Test
	void duplicateWorkflowNamesFailNamingTheBeans() {
		this.runner.withBean("firstWorkflow", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.withBean("secondWorkflow", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("\"add_then_double\" by beans 'firstWorkflow' and 'secondWorkflow'")
				.hasMessageContaining("must be unique"));
	}

	@Test
	void stepParameterWithoutBeanFailsStartup() {
		this.runner.withBean("needsMissingBean", TestWorkflows.NeedsMissingBeanWorkflow.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("needs_missing_bean")
				.hasMessageContaining("'needsMissingBean'")
				.rootCause()
				.hasMessageContaining(TestWorkflows.Greeter.class.getName()));
		this.runner.withBean("needsMissingBean", TestWorkflows.NeedsMissingBeanWorkflow.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("step \"run\": parameter \"greeter\"")
				.hasMessageContaining("declare such a bean, or annotate the parameter @Input, @Context or @Depends"));
	}

	@Test
	void stepParameterWithTwoCandidateBeansFailsStartup() {
		this.runner.withBean("needsMissingBean", TestWorkflows.NeedsMissingBeanWorkflow.class)
			.withBean("englishGreeter", TestWorkflows.Greeter.class, () -> new TestWorkflows.Greeter("Hello"))
			.withBean("frenchGreeter", TestWorkflows.Greeter.class, () -> new TestWorkflows.Greeter("Bonjour"))
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("matches 2 beans")
				.hasMessageContaining("englishGreeter")
				.hasMessageContaining("frenchGreeter")
				.hasMessageContaining("@Primary"));
	}

	@Test
	void publishesJobLifecycleEvents() {
		List<ErgateJobEvent> events = new CopyOnWriteArrayList<>();
		this.runner.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.withBean("failOrAbort", Workflow.class, TestWorkflows::failOrAbort)
			.withBean("jobEvents", ErgateJobEventCollector.class, () -> new ErgateJobEventCollector(events))
			.run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				String completed = client.submit("add_then_double", 1, null);
				awaitFinal(context, completed);
				await().until(() -> eventsOf(events, completed).size() == 4);
				List<ErgateJobEvent> ofCompleted = eventsOf(events, completed);
				// the next step may run on another worker before the listeners of the previous one are called
				assertThat(ofCompleted).extracting((event) -> event.getClass().getSimpleName())
					.containsExactlyInAnyOrder("JobStartedEvent", "JobStepCompletedEvent", "JobStepCompletedEvent",
							"JobFinishedEvent");
				assertThat(ofCompleted.get(0)).isInstanceOf(JobStartedEvent.class);
				assertThat(ofCompleted.get(0).getJob().status()).isEqualTo(JobStatus.RUNNING);
				JobStepCompletedEvent first = stepCompleted(ofCompleted, "step_1");
				assertThat(first.getJob().percentCompleted()).isEqualTo(50.0);
				assertThat(first.getJob().status()).isEqualTo(JobStatus.QUEUED);
				assertThat(first.getJob().stepName()).isEqualTo("step_2");
				JobStepCompletedEvent last = stepCompleted(ofCompleted, "step_2");
				assertThat(last.getJob().status()).isEqualTo(JobStatus.COMPLETED);
				JobFinishedEvent finished = (JobFinishedEvent) ofCompleted.stream()
					.filter(JobFinishedEvent.class::isInstance)
					.findFirst()
					.orElseThrow();
				assertThat(ofCompleted.indexOf(finished)).isGreaterThan(ofCompleted.indexOf(last));
				assertThat(finished.getJob().status()).isEqualTo(JobStatus.COMPLETED);
				assertThat(finished.getJob().percentCompleted()).isEqualTo(100.0);
				assertThat(finished.getJob().lastReturnValue()).isEqualTo(4);

				String failed = client.submit("fail_or_abort", "fail", null);
				assertThat(awaitFinal(context, failed).status()).isEqualTo(JobStatus.FAILED);
				await().until(() -> eventsOf(events, failed).size() == 3);
				JobFailedEvent failure = only(eventsOf(events, failed), JobFailedEvent.class);
				assertThat(failure.getError()).hasMessage("asked to fail");
				assertThat(failure.getJob().exceptionTraceback()).contains("asked to fail");

				String aborted = client.submit("fail_or_abort", "abort", null);
				assertThat(awaitFinal(context, aborted).status()).isEqualTo(JobStatus.ABORTED);
				await().until(() -> eventsOf(events, aborted).size() == 4);
				JobFinishedEvent abortedEvent = only(eventsOf(events, aborted), JobFinishedEvent.class);
				assertThat(abortedEvent.getJob().status()).isEqualTo(JobStatus.ABORTED);
				assertThat(abortedEvent.getResult().outcome()).isEqualTo(StepOutcome.ABORT);
				assertThat(events).noneMatch((event) -> event instanceof JobStartedEvent
						&& event.getJob().stepsCompleted() > 0);
			});
	}

	@Test
	void appliesListenerInterceptorAndCustomizerBeans() {
		List<String> calls = new CopyOnWriteArrayList<>();
		AtomicInteger customized = new AtomicInteger();
		this.runner.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.withBean("listener", JobListener.class, () -> new JobListener() {
				@Override
				public void onJobRunEnd(StepResult result) {
					calls.add("listener " + result.stepName());
				}
			})
			.withBean("interceptor", StepInterceptor.class, () -> (job, step, invocation) -> {
				calls.add("interceptor " + step);
				return invocation.proceed();
			})
			.withBean("customizer", ErgateCustomizer.class, () -> (builder) -> customized.incrementAndGet())
			.run((context) -> {
				String id = context.getBean(ErgateClient.class).submit("add_then_double", 1, null);
				awaitFinal(context, id);
				await().until(() -> calls.size() == 4);
				assertThat(calls).containsExactlyInAnyOrder("interceptor step_1", "listener step_1",
						"interceptor step_2", "listener step_2");
				assertThat(calls.indexOf("interceptor step_1")).isLessThan(calls.indexOf("listener step_1"));
				assertThat(calls.indexOf("interceptor step_2")).isLessThan(calls.indexOf("listener step_2"));
				assertThat(customized).hasValue(1);
			});
	}

	@Test
	void parameterResolverBeansComeBeforeBeanResolution() {
		TestWorkflows.Greeter greeter = new TestWorkflows.Greeter("Hey");
		this.runner.withBean("needsMissingBean", TestWorkflows.NeedsMissingBeanWorkflow.class)
			.withBean("greeterResolver", ParameterResolver.class,
					() -> (parameter) -> (parameter.getType() == TestWorkflows.Greeter.class) ? () -> greeter : null)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String id = context.getBean(ErgateClient.class).submit("needs_missing_bean", null, null);
				assertThat(awaitFinal(context, id).status()).isEqualTo(JobStatus.COMPLETED);
			});
	}

	@Test
	void submittingAnUnknownWorkflowIsRejected() {
		this.runner.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				assertThatExceptionOfType(UnknownWorkflowException.class)
					.isThrownBy(() -> client.submit("nope", null, null))
					.withMessage("No workflow named \"nope\" is registered (known: add_then_double)");
				assertThat(context.getBean(InMemoryStateStore.class).size()).isZero();
			});
	}

	@Test
	void submitKeepsAGivenIdAndGeneratesOneOtherwise() {
		this.runner.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.withPropertyValues("ergate.worker.enabled=false")
			.run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				assertThat(client.submit(Job.builder("add_then_double").id(7).build())).isEqualTo(7);
				Object generated = client.submit(Job.builder("add_then_double").build());
				assertThat(generated.toString()).matches("[0-9a-f-]{36}");
				QueryableStateStore store = context.getBean(QueryableStateStore.class);
				assertThat(store.findById(7)).get().extracting(Job::status).isEqualTo(JobStatus.QUEUED);
				assertThat(store.findById(generated)).isPresent();
				assertThat(context.getBean(InMemoryJobQueue.class).size()).isEqualTo(2);
			});
	}

	@Test
	void disabledTurnsEverythingOff() {
		this.runner.withPropertyValues("ergate.enabled=false")
			.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(Ergate.class)
				.doesNotHaveBean(ErgateClient.class)
				.doesNotHaveBean(ErgateWorker.class)
				.doesNotHaveBean(JobQueue.class)
				.doesNotHaveBean(StateStore.class)
				.doesNotHaveBean(ErgateProperties.class));
	}

	@Test
	void workerDisabledKeepsTheEngineAndClient() {
		this.runner.withPropertyValues("ergate.worker.enabled=false")
			.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.run((context) -> {
				assertThat(context).hasSingleBean(Ergate.class)
					.hasSingleBean(ErgateClient.class)
					.doesNotHaveBean(ErgateWorker.class);
				String id = context.getBean(ErgateClient.class).submit("add_then_double", 1, null);
				Thread.sleep(200);
				assertThat(context.getBean(QueryableStateStore.class).findById(id)).get()
					.extracting(Job::status)
					.isEqualTo(JobStatus.QUEUED);
				assertThat(context.getBean(Ergate.class).status().state()).isEqualTo(WorkerStatus.State.STOPPED);
			});
	}

	@Test
	void backsOffWithoutErgateOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader(Ergate.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ErgateClient.class)
				.doesNotHaveBean(ErgateWorker.class)
				.doesNotHaveBean(ErgateProperties.class));
	}

	@Test
	void userErgateAndClientBeansReplaceTheAutoConfiguredOnes(CapturedOutput output) {
		Ergate own = new Ergate(new InMemoryJobQueue(), new InMemoryStateStore());
		ErgateClient ownClient = new ErgateClient(own);
		this.runner.withBean("myErgate", Ergate.class, () -> own)
			.withBean("myClient", ErgateClient.class, () -> ownClient)
			.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.run((context) -> {
				assertThat(context.getBean(Ergate.class)).isSameAs(own);
				assertThat(context.getBean(ErgateClient.class)).isSameAs(ownClient);
				assertThat(context).doesNotHaveBean(JobQueue.class).doesNotHaveBean(StateStore.class);
				assertThat(own.workflow("add_then_double")).isPresent();
				assertThat(context.getBean(ErgateWorker.class).isRunning()).isTrue();
			});
		assertThat(output.getOut()).doesNotContain("in-memory job queue");
	}

	@Test
	void bindsWorkerProperties() {
		this.runner
			.withPropertyValues("ergate.worker.concurrency=2", "ergate.worker.auto-startup=false",
					"ergate.worker.phase=42", "ergate.worker.shutdown-timeout=5s")
			.run((context) -> {
				ErgateWorker worker = context.getBean(ErgateWorker.class);
				assertThat(worker.getConcurrency()).isEqualTo(2);
				assertThat(worker.isAutoStartup()).isFalse();
				assertThat(worker.isRunning()).isFalse();
				assertThat(worker.getPhase()).isEqualTo(42);
				assertThat(worker.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
				worker.start();
				assertThat(worker.getStatus().workers()).isEqualTo(2);
				worker.stop();
				assertThat(worker.isRunning()).isFalse();
			});
	}

	@Test
	void defaultWorkerSettings() {
		this.runner.run((context) -> {
			ErgateWorker worker = context.getBean(ErgateWorker.class);
			assertThat(worker.getConcurrency()).isEqualTo(4);
			assertThat(worker.isAutoStartup()).isTrue();
			assertThat(worker.getPhase()).isEqualTo(Integer.MAX_VALUE - 2048);
			assertThat(worker.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(worker.getExecutor()).isInstanceOf(SimpleAsyncTaskExecutor.class);
		});
	}

	@Test
	void shutdownTimeoutIsCappedByTheShutdownPhaseTimeout() {
		this.runner
			.withPropertyValues("ergate.worker.shutdown-timeout=10s", "spring.lifecycle.timeout-per-shutdown-phase=2s")
			.run((context) -> assertThat(context.getBean(ErgateWorker.class).getShutdownTimeout())
				.isEqualTo(Duration.ofSeconds(2)));
		this.runner
			.withPropertyValues("ergate.worker.shutdown-timeout=1s", "spring.lifecycle.timeout-per-shutdown-phase=2s")
			.run((context) -> assertThat(context.getBean(ErgateWorker.class).getShutdownTimeout())
				.isEqualTo(Duration.ofSeconds(1)));
	}

	@Test
	void stopGivesUpWaitingAfterTheShutdownTimeout(CapturedOutput output) {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Workflow blocking = Workflow.builder("blocking").step("wait", Integer.class, (in) -> {
			entered.countDown();
			release.await(10, TimeUnit.SECONDS);
			return in;
		}).build();
		this.runner.withPropertyValues("ergate.worker.shutdown-timeout=300ms")
			.withBean("blocking", Workflow.class, () -> blocking)
			.run((context) -> {
				context.getBean(ErgateClient.class).submit("blocking", 1, null);
				assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
				ErgateWorker worker = context.getBean(ErgateWorker.class);
				long started = System.nanoTime();
				worker.stop();
				long waitedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
				assertThat(waitedMillis).isBetween(250L, 5000L);
				assertThat(worker.isRunning()).isFalse();
				assertThat(worker.getStatus().busy()).isEqualTo(1);
				release.countDown();
			});
		assertThat(output.getOut()).contains("Ergate worker stopped with steps still running after PT0.3S");
	}

	@Test
	void threadNamePrefixNamesTheWorkerThreads() {
		List<String> threads = new CopyOnWriteArrayList<>();
		this.runner.withPropertyValues("ergate.worker.thread-name-prefix=test-loop-")
			.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(threads))
			.run((context) -> {
				awaitFinal(context, context.getBean(ErgateClient.class).submit("add_then_double", 1, null));
				assertThat(threads).singleElement().asString().startsWith("test-loop-");
			});
	}

	@Test
	void executorNamedErgateWorkerExecutorReplacesThePool() {
		List<String> threads = new CopyOnWriteArrayList<>();
		Executor executor = new SimpleAsyncTaskExecutor("custom-pool-");
		this.runner.withBean(ErgateAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME, Executor.class, () -> executor)
			.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(threads))
			.run((context) -> {
				assertThat(context.getBean(ErgateWorker.class).getExecutor()).isSameAs(executor);
				awaitFinal(context, context.getBean(ErgateClient.class).submit("add_then_double", 1, null));
				assertThat(threads).singleElement().asString().startsWith("custom-pool-");
			});
	}

	@Test
	void anExecutorWithAnotherNameIsNotUsed() {
		Executor executor = new SimpleAsyncTaskExecutor("other-");
		this.runner.withBean("someExecutor", Executor.class, () -> executor)
			.run((context) -> assertThat(context.getBean(ErgateWorker.class).getExecutor()).isNotSameAs(executor));
	}

	@Test
	void concurrencyBelowOneFailsStartup() {
		this.runner.withPropertyValues("ergate.worker.concurrency=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("worker.concurrency")
				.hasMessageContaining("rejected value [0]")
				.hasMessageContaining("must be 1 or more"));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsRunTheWorkerOnJava21AndLater() {
		List<String> threads = new CopyOnWriteArrayList<>();
		this.runner.withPropertyValues("ergate.worker.virtual-threads=true")
			.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(threads))
			.run((context) -> {
				assertThat(context.getBean(ErgateWorker.class).getExecutor())
					.isInstanceOf(VirtualThreadTaskExecutor.class);
				awaitFinal(context, context.getBean(ErgateClient.class).submit("add_then_double", 1, null));
				assertThat(threads).singleElement().asString().startsWith("ergate-worker-").endsWith("(virtual)");
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void springVirtualThreadsPropertyIsFollowedOnJava21AndLater() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context.getBean(ErgateWorker.class).getExecutor())
				.isInstanceOf(VirtualThreadTaskExecutor.class));
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true", "ergate.worker.virtual-threads=false")
			.run((context) -> assertThat(context.getBean(ErgateWorker.class).getExecutor())
				.isInstanceOf(SimpleAsyncTaskExecutor.class));
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void virtualThreadsFailClearlyBeforeJava21() {
		this.runner.withPropertyValues("ergate.worker.virtual-threads=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("ergate.worker.virtual-threads=true needs Java 21 or newer")
				.hasMessageContaining("this application runs on Java " + System.getProperty("java.version"))
				.hasMessageContaining("set ergate.worker.virtual-threads=false"));
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void springVirtualThreadsPropertyFallsBackToPlatformThreadsBeforeJava21() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context.getBean(ErgateWorker.class).getExecutor())
				.isInstanceOf(SimpleAsyncTaskExecutor.class));
	}

	@Test
	void workerBacksOffAndRetriesWhenTheQueueThrows(CapturedOutput output) {
		FlakyQueue queue = new FlakyQueue(3);
		this.runner.withBean("flakyQueue", JobQueue.class, () -> queue)
			.withPropertyValues("ergate.worker.concurrency=1", "ergate.worker.backoff.initial=10ms",
					"ergate.worker.backoff.max=20ms")
			.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new ArrayList<>()))
			.run((context) -> {
				String id = context.getBean(ErgateClient.class).submit("add_then_double", 1, null);
				assertThat(awaitFinal(context, id).status()).isEqualTo(JobStatus.COMPLETED);
				assertThat(queue.failures).hasValue(3);
				WorkerStatus status = context.getBean(ErgateWorker.class).getStatus();
				assertThat(status.state()).isEqualTo(WorkerStatus.State.RUNNING);
				assertThat(status.workers()).isEqualTo(1);
				assertThat(status.lastError()).contains("queue is down");
			});
		assertThat(output.getOut()).contains("Taking a job from the queue failed").contains("backing off");
	}

	@Test
	void inMemoryStoreKeepsTheConfiguredNumberOfFinishedJobs() {
		this.runner.withPropertyValues("ergate.in-memory.max-finished-jobs=2", "ergate.worker.enabled=false")
			.run((context) -> {
				InMemoryStateStore store = context.getBean(InMemoryStateStore.class);
				for (int i = 0; i < 3; i++) {
					store.update(Job.builder("w").id(i).status(JobStatus.COMPLETED).build());
				}
				assertThat(store.size()).isEqualTo(2);
				assertThat(store.findById(0)).isEmpty();
			});
	}

	private static <E extends ErgateJobEvent> E only(List<ErgateJobEvent> events, Class<E> type) {
		List<E> matching = events.stream().filter(type::isInstance).map(type::cast).toList();
		assertThat(matching).hasSize(1);
		return matching.get(0);
	}

	private static JobStepCompletedEvent stepCompleted(List<ErgateJobEvent> events, String stepName) {
		return events.stream()
			.filter(JobStepCompletedEvent.class::isInstance)
			.map(JobStepCompletedEvent.class::cast)
			.filter((event) -> event.getResult().stepName().equals(stepName))
			.findFirst()
			.orElseThrow();
	}

	private static List<ErgateJobEvent> eventsOf(List<ErgateJobEvent> events, Object id) {
		return events.stream().filter((event) -> id.equals(event.getJob().id())).toList();
	}

	/** Runs a job of add_then_double (20 → 42) and one of greeting (Ada's) and checks their results. */
	static void runBothWorkflows(ApplicationContext context) {
		ErgateClient client = context.getBean(ErgateClient.class);
		String sum = client.submit("add_then_double", 20, null);
		String greeting = client.submit("greeting", null, Map.of("name", "Ada"));
		Job done = awaitFinal(context, sum);
		assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(done.lastReturnValue()).isEqualTo(42);
		Job greeted = awaitFinal(context, greeting);
		assertThat(greeted.status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(greeted.lastReturnValue()).isEqualTo("Hello, HELLO, ADA!");
	}

	static Job awaitFinal(ApplicationContext context, Object id) {
		QueryableStateStore store = context.getBean(QueryableStateStore.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> store.findById(id).map((job) -> job.status().isFinal()).orElse(false));
		return store.findById(id).orElseThrow();
	}

	private static int occurrences(String text, String level, String fragment) {
		return (int) text.lines().filter((line) -> line.contains(level) && line.contains(fragment)).count();
	}

	record Point(int x, int y) {
	}

	/** Stands for a durable adapter's auto-configuration, such as ergate-jdbc's. */
	@AutoConfiguration(before = ErgateAutoConfiguration.class)
	static class AdapterAutoConfiguration {

		@Bean
		JobQueue adapterQueue() {
			return new InMemoryJobQueue();
		}

		@Bean
		StateStore adapterStore() {
			return new InMemoryStateStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoQueuesOnePrimaryConfiguration {

		@Bean
		JobQueue otherQueue() {
			return new InMemoryJobQueue();
		}

		@Bean
		@Primary
		JobQueue primaryQueue() {
			return new InMemoryJobQueue();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GreetingConfiguration {

		@Bean
		TestWorkflows.Greeter greeter() {
			return new TestWorkflows.Greeter("Hello");
		}

		@Bean
		TestWorkflows.SuffixProvider suffixProvider() {
			return new TestWorkflows.SuffixProvider("!");
		}

		@Bean
		TestWorkflows.GreetingWorkflow greetingWorkflow() {
			return new TestWorkflows.GreetingWorkflow();
		}

	}

	/** Collects the Ergate job events. */
	static class ErgateJobEventCollector implements ApplicationListener<ErgateJobEvent> {

		private final List<ErgateJobEvent> events;

		ErgateJobEventCollector(List<ErgateJobEvent> events) {
			this.events = events;
		}

		@Override
		public void onApplicationEvent(ErgateJobEvent event) {
			this.events.add(event);
		}

	}

	/** A queue whose first takes throw. */
	static class FlakyQueue implements JobQueue {

		private final InMemoryJobQueue delegate = new InMemoryJobQueue();

		private final int failuresWanted;

		final AtomicInteger failures = new AtomicInteger();

		FlakyQueue(int failuresWanted) {
			this.failuresWanted = failuresWanted;
		}

		@Override
		public Job getOne() throws InterruptedException {
			if (this.failures.get() < this.failuresWanted) {
				this.failures.incrementAndGet();
				throw new IllegalStateException("queue is down");
			}
			return this.delegate.getOne();
		}

		@Override
		public void put(Job job) {
			this.delegate.put(job);
		}

	}

}
