package io.ergate.benchmarks;

import java.util.concurrent.TimeUnit;

import io.ergate.Job;
import io.ergate.JobStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * JMH: the cost of writing and reading a job in the seed's JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class JobJsonBenchmark {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Job job = Job.builder("bench").id(12345).stepName("step_2").status(JobStatus.QUEUED)
		.stepsCompleted(1).percentCompleted(33.33).initialInputValue(12345).lastReturnValue(12346).build();

	private final String json = this.mapper.writeValueAsString(this.job);

	@Benchmark
	public String write() {
		return this.mapper.writeValueAsString(this.job);
	}

	@Benchmark
	public Job read() {
		return this.mapper.readValue(this.json, Job.class);
	}

}
