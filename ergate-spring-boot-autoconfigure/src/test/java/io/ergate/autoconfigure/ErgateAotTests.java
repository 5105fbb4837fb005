package io.ergate.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ergate.Ergate;
import io.ergate.Workflow;
import io.ergate.spring.ErgateWorker;
import org.junit.jupiter.api.Test;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the auto-configuration works in an application processed ahead of time (Spring AOT on
 * the JVM: the {@code process-aot} goal at build time, {@code -Dspring.aot.enabled=true} at run time),
 * the faster startup the sample app documents: the context is built from the generated bean
 * definitions alone, without parsing any configuration class, and must still start the worker,
 * register both kinds of workflows and run their jobs.
 */
@CompileWithForkedClassLoader
class ErgateAotTests {

	@Test
	void aotProcessedContextStartsTheWorkerAndRunsJobsOfBothKindsOfWorkflows() {
		GenerationResult generated = processAheadOfTime(WorkflowsConfiguration.class);
		TestCompiler.forSystem().with(generated.context()).compile((compiled) -> {
			try (GenericApplicationContext context = new GenericApplicationContext()) {
				@SuppressWarnings("unchecked")
				ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
					.getInstance(ApplicationContextInitializer.class, generated.initializer().toString());
				initializer.initialize(context);
				context.refresh();

				assertThat(context.getBean(ErgateWorker.class).isRunning()).isTrue();
				assertThat(context.getBean(Ergate.class).workflows()).extracting(Workflow::name)
					.containsExactly("add_then_double", "greeting");
				ErgateAutoConfigurationTests.runBothWorkflows(context);
				assertThat(context.getBean(WorkflowsConfiguration.class).threads)
					.allMatch((name) -> name.startsWith("ergate-worker-"));
			}
		});
	}

	private static GenerationResult processAheadOfTime(Class<?> configuration) {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(configuration);
			TestGenerationContext generationContext = new TestGenerationContext();
			ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(context,
					generationContext);
			generationContext.writeGeneratedContent();
			return new GenerationResult(generationContext, initializer);
		}
	}

	private record GenerationResult(TestGenerationContext context, ClassName initializer) {
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(ErgateAutoConfiguration.class)
	@Import(ErgateAutoConfigurationTests.GreetingConfiguration.class)
	static class WorkflowsConfiguration {

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Bean
		Workflow addThenDouble() {
			return TestWorkflows.addThenDouble(this.threads);
		}

	}

}
