package io.ergate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.memory.InMemoryJobQueue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepParameterTests {

	static final List<String> events = Collections.synchronizedList(new ArrayList<>());

	private final InMemoryJobQueue queue = new InMemoryJobQueue();

	private final RecordingStateStore store = new RecordingStateStore();

	private Job runOne(Ergate ergate, Job job) {
		Job submitted = ergate.submit(job);
		Engine.runUntil(ergate, 1, () -> this.store.last(submitted.id()).status().isFinal());
		return this.store.last(submitted.id());
	}

	@ErgateWorkflow("my_first_workflow")
	static class MyFirstWorkflow {

		final List<Integer> received = new ArrayList<>();

		// declared out of order on purpose: order comes from @Step(order)
		@Step(order = 2, name = "step_2")
		void step2(@Input int value) {
			this.received.add(value);
		}

		@Step(order = 1, name = "step_1")
		int step1(@Input int value) {
			return value + 1;
		}

	}

	@Test
	void theSeedTutorialPassesTheReturnValueForward() {
		MyFirstWorkflow workflow = new MyFirstWorkflow();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(Workflow.from(workflow));
		Job done = runOne(ergate, Job.builder("my_first_workflow").initialInputValue(21).build());
		assertThat(workflow.received).containsExactly(22);
		assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(done.percentCompleted()).isEqualTo(100.0);
		assertThat(done.stepsCompleted()).isEqualTo(2);
	}

	record Settings(String greeting, int times) {
	}

	public static class Counter {

		static final AtomicInteger built = new AtomicInteger();

	}

	public static class Connection implements AutoCloseable {

		final String name;

		Connection(String name) {
			this.name = name;
		}

		@Override
		public void close() {
			events.add("close " + this.name);
		}

	}

	public static class ConnectionProvider {

		public Connection provide(@Context Settings settings) {
			Counter.built.incrementAndGet();
			events.add("open connection");
			return new Connection(settings.greeting());
		}

	}

	public static class Repository {

		final Connection connection;

		final int input;

		Repository(Connection connection, int input) {
			this.connection = connection;
			this.input = input;
		}

	}

	public static class RepositoryProvider {

		public Repository provide(@Depends(ConnectionProvider.class) Connection connection, @Input int input) {
			events.add("open repository");
			return new Repository(connection, input);
		}

		public void release(Repository repository) {
			events.add("release repository");
		}

	}

	public static class ServiceProvider {

		public String provide(@Depends(RepositoryProvider.class) Repository repository,
				@Depends(ConnectionProvider.class) Connection connection, Job job) {
			events.add("open service");
			return repository.connection.name + " " + (repository.connection == connection) + " " + job.stepName();
		}

	}

	@ErgateWorkflow("dependencies")
	static class DependencyWorkflow {

		final List<String> seen = new ArrayList<>();

		@Step(order = 1)
		int first(@Depends(ServiceProvider.class) String service, @Depends(ConnectionProvider.class) Connection c,
				@Context Settings settings, @Input int input) {
			this.seen.add(service + " " + settings.times() + " " + input);
			return input * 2;
		}

		@Step(order = 2)
		void second(@Depends(RepositoryProvider.class) Repository repository) {
			this.seen.add("repository input " + repository.input);
			throw new IllegalStateException("boom");
		}

	}

	@Test
	void dependenciesNestRunOncePerStepRunAndAreReleasedInReverseEvenWhenTheStepThrows() {
		events.clear();
		Counter.built.set(0);
		DependencyWorkflow workflow = new DependencyWorkflow();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(Workflow.from(workflow));
		Job done = runOne(ergate, Job.builder("dependencies").initialInputValue(4)
			.userContext(Map.of("greeting", "db", "times", 3)).build());
		assertThat(workflow.seen).containsExactly("db true first 3 4", "repository input 8");
		assertThat(Counter.built).hasValue(2);
		assertThat(events).containsExactly("open connection", "open repository", "open service",
				"release repository", "close db", // first step: service (not closeable), repository, connection
				"open connection", "open repository", "release repository", "close db");
		assertThat(done.status()).isEqualTo(JobStatus.FAILED);
		assertThat(done.exceptionTraceback()).contains("boom");
	}

	@Test
	void handlersReadInputContextAndDependencies() {
		events.clear();
		List<String> seen = new ArrayList<>();
		Workflow workflow = Workflow.builder("handler")
			.step("only", (step) -> {
				Connection connection = step.depends(ConnectionProvider.class);
				Connection again = step.depends(ConnectionProvider.class);
				seen.add(step.input(Integer.class) + " " + step.context(Settings.class).greeting() + " "
						+ (connection == again) + " " + step.job().stepName());
				return "done";
			})
			.build();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(workflow);
		Job done = runOne(ergate, Job.builder("handler").initialInputValue(7)
			.userContext(new Settings("hello", 1)).build());
		assertThat(seen).containsExactly("7 hello true only");
		assertThat(events).containsExactly("open connection", "close hello");
		assertThat(done.lastReturnValue()).isEqualTo("done");
	}

	@Test
	void inputIsADeepCopy() {
		List<Object> mutated = new ArrayList<>();
		Map<String, Object> original = new HashMap<>(Map.of("items", new ArrayList<>(List.of(1, 2))));
		Workflow workflow = Workflow.builder("copies")
			.step("first", Map.class, (in) -> original)
			.step("second", Map.class, (in) -> {
				@SuppressWarnings("unchecked")
				List<Object> items = (List<Object>) in.get("items");
				items.add(3);
				mutated.add(in);
				return null;
			})
			.build();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(workflow);
		runOne(ergate, Job.builder("copies").build());
		assertThat(mutated).hasSize(1);
		assertThat(original.get("items")).isEqualTo(List.of(1, 2));
	}

	@Test
	void inputIsConvertedToTheParameterType() {
		List<Settings> seen = new ArrayList<>();
		Workflow workflow = Workflow.builder("convert")
			.step("first", Settings.class, (in) -> {
				seen.add(in);
				return 1.5;
			})
			.step("second", Long.class, (in) -> {
				throw new IllegalStateException("never: 1.5 is no Long? " + in);
			})
			.build();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(workflow);
		Job done = runOne(ergate, Job.builder("convert").initialInputValue(Map.of("greeting", "hi", "times", 2))
			.build());
		assertThat(seen).containsExactly(new Settings("hi", 2));
		assertThat(done.status()).isEqualTo(JobStatus.FAILED);
	}

	@Test
	void aNullInputStaysNullForAWrapperOrObjectTypeNeverZero() {
		List<Object> seen = Collections.synchronizedList(new ArrayList<>());
		Workflow workflow = Workflow.builder("nulls")
			.step("boxed", Integer.class, (in) -> {
				seen.add(String.valueOf(in));
				return null;
			})
			.step("text", String.class, (in) -> {
				seen.add(String.valueOf(in));
				return in;
			})
			.build();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(workflow);
		Job done = runOne(ergate, Job.builder("nulls").build());
		assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(seen).containsExactly("null", "null");
		assertThat(done.lastReturnValue()).isNull();
	}

	@Test
	void primitiveParameterWithNullInputFailsTheJobWithAClearMessage() {
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(Workflow.from(new MyFirstWorkflow()));
		Job done = runOne(ergate, Job.builder("my_first_workflow").build());
		assertThat(done.status()).isEqualTo(JobStatus.FAILED);
		assertThat(done.exceptionTraceback()).contains("The input of step_1 (parameter \"value\") is null")
			.contains("Integer");
	}

	public static class Clock {

	}

	@ErgateWorkflow("resolved")
	static class ResolvedWorkflow {

		@Step(order = 1)
		String only(Clock clock, Job job) {
			return clock.getClass().getSimpleName() + " " + job.workflowName();
		}

	}

	@Test
	void aParameterResolverSuppliesOtherParameters() {
		Clock clock = new Clock();
		Ergate ergate = Ergate.builder(this.queue, this.store)
			.parameterResolver((parameter) -> (parameter.getType() == Clock.class) ? () -> clock : null)
			.build()
			.registerWorkflow(Workflow.from(new ResolvedWorkflow()));
		Job done = runOne(ergate, Job.builder("resolved").build());
		assertThat(done.lastReturnValue()).isEqualTo("Clock resolved");
	}

}
