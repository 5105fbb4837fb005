package io.ergate.rabbitmq;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;

import com.rabbitmq.client.ConnectionFactory;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.Workflow;

/**
 * A worker process for {@link CrashTests}: consumes the queue named by its arguments and reports every
 * step it starts and ends, and every state it stores, on standard output, line by line, until it is
 * killed.
 */
public final class CrashWorker {

	static final int STEPS = 4;

	static final String WORKFLOW = "crash_workflow";

	private CrashWorker() {
	}

	/**
	 * The workflow, whose steps report through the given sink and take a while.
	 * @param sink receives {@code START id step}, {@code END id step}
	 * @param stepMillis how long a step takes
	 * @return the workflow
	 */
	static Workflow workflow(Consumer<String> sink, long stepMillis) {
		Workflow.Builder builder = Workflow.builder(WORKFLOW);
		for (int i = 1; i <= STEPS; i++) {
			String step = "step_" + i;
			builder.step(step, (context) -> {
				sink.accept("START " + context.job().id() + " " + step);
				Thread.sleep(stepMillis);
				sink.accept("END " + context.job().id() + " " + step);
				return null;
			});
		}
		return builder.build();
	}

	/**
	 * Runs the worker.
	 * @param args queue, host, port, user, password
	 */
	public static void main(String[] args) throws Exception {
		PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
		Consumer<String> sink = (line) -> {
			synchronized (out) {
				out.println(line);
			}
		};
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(args[1]);
		factory.setPort(Integer.parseInt(args[2]));
		factory.setUsername(args[3]);
		factory.setPassword(args[4]);
		RabbitJobQueue queue = RabbitJobQueue.builder(factory)
			.queue(args[0])
			.concurrency(4)
			.connectionName("ergate-crash-worker")
			.build();
		Ergate engine = new Ergate(queue, (Job job) -> sink.accept("STATE " + job.id() + " " + job.status()));
		engine.registerWorkflow(workflow(sink, 30));
		engine.start(4);
		sink.accept("READY");
		Thread.sleep(Duration.ofMinutes(5).toMillis());
		System.exit(3); // never reached in the test: the process is killed
	}

}
