package io.ergate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ergate.internal.json.JobJsonDeserializer;
import io.ergate.internal.json.JobJsonSerializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One execution of a {@link Workflow}: which workflow, which step runs next, its status and
 * progress, the values passed between steps and the user's context.
 * <p>
 * A job is immutable: the engine derives a new one for every state it records. Create a new job
 * with {@link #builder(String)}; every other attribute has the default of the original Ergate
 * {@code Job} model. A job binds to and from the original snake_case JSON with any Jackson 3
 * {@code JsonMapper}, so {@code {"workflow_name": "my_first_workflow"}} alone is a valid new job. The
 * {@code status} is written as an integer code that the Python Ergate {@code Job} model accepts, or as
 * its name, as the mapper's {@link JobJsonFormat} says:
 * <pre>{@code
 * Job job = mapper.readValue("{\"workflow_name\": \"my_first_workflow\"}", Job.class);
 * String json = mapper.writeValueAsString(job);
 * }</pre>
 * The payload attributes ({@link #id()}, {@link #initialInputValue()}, {@link #lastReturnValue()},
 * {@link #userContext()}) hold any value that Jackson can write. Read from JSON they hold plain
 * Java values: {@code String}, {@code Boolean}, {@code Integer}, {@code Long}, {@code BigInteger},
 * {@code Double} (or {@code BigDecimal} when a double would lose digits), {@code List} and
 * {@code Map}; nothing is lost.
 */
@JsonSerialize(using = JobJsonSerializer.class)
@JsonDeserialize(using = JobJsonDeserializer.class)
public final class Job {

	private final @Nullable Object id;

	private final String workflowName;

	private final @Nullable String stepName;

	private final JobStatus status;

	private final int stepsCompleted;

	private final double percentCompleted;

	private final @Nullable Object initialInputValue;

	private final @Nullable Object lastReturnValue;

	private final @Nullable String exceptionTraceback;

	private final @Nullable Object userContext;

	private final @Nullable Instant requestedStartTime;

	private final Map<String, String> metadata;

	private Job(Builder builder) {
		this.id = builder.id;
		this.workflowName = Objects.requireNonNull(builder.workflowName);
		this.stepName = builder.stepName;
		this.status = Objects.requireNonNull(builder.status);
		this.stepsCompleted = builder.stepsCompleted;
		this.percentCompleted = builder.percentCompleted;
		this.initialInputValue = builder.initialInputValue;
		this.lastReturnValue = builder.lastReturnValue;
		this.exceptionTraceback = builder.exceptionTraceback;
		this.userContext = builder.userContext;
		this.requestedStartTime = builder.requestedStartTime;
		this.metadata = (builder.metadata == null || builder.metadata.isEmpty()) ? Map.of()
				: Collections.unmodifiableMap(new LinkedHashMap<>(builder.metadata));
	}

	private Job(Job source, @Nullable String stepName, JobStatus status, int stepsCompleted, double percentCompleted,
			@Nullable Object lastReturnValue, @Nullable String exceptionTraceback) {
		this.id = source.id;
		this.workflowName = source.workflowName;
		this.stepName = stepName;
		this.status = status;
		this.stepsCompleted = stepsCompleted;
		this.percentCompleted = percentCompleted;
		this.initialInputValue = source.initialInputValue;
		this.lastReturnValue = lastReturnValue;
		this.exceptionTraceback = exceptionTraceback;
		this.userContext = source.userContext;
		this.requestedStartTime = source.requestedStartTime;
		this.metadata = source.metadata;
	}

	/** A copy in another status, at another step: used by the engine on every step. */
	Job withStatus(JobStatus status, @Nullable String stepName) {
		return new Job(this, stepName, status, this.stepsCompleted, this.percentCompleted, this.lastReturnValue,
				this.exceptionTraceback);
	}

	/** The job stopped at a step in a final status, with the reason, its progress as it was. */
	Job stopped(JobStatus status, @Nullable String stepName, String reason) {
		return new Job(this, stepName, status, this.stepsCompleted, this.percentCompleted, this.lastReturnValue,
				reason);
	}

	/** The state after a step ran: used by the engine on every step. The next step starts at attempt 1. */
	Job afterStep(@Nullable String stepName, JobStatus status, int stepsCompleted, double percentCompleted,
			@Nullable Object lastReturnValue, @Nullable String exceptionTraceback) {
		Job next = new Job(this, stepName, status, stepsCompleted, percentCompleted, lastReturnValue,
				exceptionTraceback);
		return this.metadata.containsKey(Attempts.ATTEMPT) ? Attempts.cleared(next.toBuilder()).build() : next;
	}

	/**
	 * Returns which run of its current step this state is for: 1 for the first, 2 after one retry, and
	 * so on. Kept in the {@code metadata} entry {@code attempt}, with {@code max_attempts} and
	 * {@code last_error} (the previous attempt's error) while a step is retried; the full traceback of
	 * that error is the {@code exception_traceback} until the step succeeds.
	 * @return 1 or more
	 */
	public int attempt() {
		return Attempts.of(this.metadata);
	}

	/**
	 * Starts a new job of the named workflow, with every other attribute at its default.
	 * @param workflowName the name of a registered workflow
	 * @return a builder
	 */
	public static Builder builder(String workflowName) {
		return new Builder().workflowName(workflowName);
	}

	/**
	 * Returns a builder holding every attribute of this job, to derive a changed copy.
	 * @return a builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.id = this.id;
		builder.workflowName = this.workflowName;
		builder.stepName = this.stepName;
		builder.status = this.status;
		builder.stepsCompleted = this.stepsCompleted;
		builder.percentCompleted = this.percentCompleted;
		builder.initialInputValue = this.initialInputValue;
		builder.lastReturnValue = this.lastReturnValue;
		builder.exceptionTraceback = this.exceptionTraceback;
		builder.userContext = this.userContext;
		builder.requestedStartTime = this.requestedStartTime;
		if (!this.metadata.isEmpty()) {
			builder.metadata = new LinkedHashMap<>(this.metadata);
		}
		return builder;
	}

	/**
	 * Returns the job's identifier, chosen by whoever created the job.
	 * @return the id, default {@code null}
	 */
	public @Nullable Object id() {
		return this.id;
	}

	/**
	 * Returns the name of the workflow this job executes.
	 * @return the workflow name, never blank
	 */
	public String workflowName() {
		return this.workflowName;
	}

	/**
	 * Returns the step that runs next (while {@link JobStatus#QUEUED} or
	 * {@link JobStatus#SCHEDULED}), that is running ({@link JobStatus#RUNNING}) or that ran last (on
	 * a final status).
	 * @return the step name; {@code null} for a new job, whose first step runs next
	 */
	public @Nullable String stepName() {
		return this.stepName;
	}

	/**
	 * Returns the job's status.
	 * @return the status, default {@link JobStatus#QUEUED}
	 */
	public JobStatus status() {
		return this.status;
	}

	/**
	 * Returns how many steps of the job have run.
	 * @return the count, default 0
	 */
	public int stepsCompleted() {
		return this.stepsCompleted;
	}

	/**
	 * Returns the job's progress, from 0.0 to 100.0 with two decimals. It never decreases and is
	 * 100.0 only when the job is {@link JobStatus#COMPLETED}.
	 * @return the percentage, default 0.0
	 */
	public double percentCompleted() {
		return this.percentCompleted;
	}

	/**
	 * Returns the input of the first step.
	 * @return the value, default {@code null}
	 */
	public @Nullable Object initialInputValue() {
		return this.initialInputValue;
	}

	/**
	 * Returns the value the last step returned (or passed to {@link GoToStep} or {@link GoToEnd});
	 * the input of the next step.
	 * @return the value, default {@code null}
	 */
	public @Nullable Object lastReturnValue() {
		return this.lastReturnValue;
	}

	/**
	 * Returns why the job stopped early: the full stack trace of the exception that failed it, or
	 * the reason given to {@link AbortJob}.
	 * @return the text, default {@code null}
	 */
	public @Nullable String exceptionTraceback() {
		return this.exceptionTraceback;
	}

	/**
	 * Returns the user's context, given to every step that asks for it with {@link Context}.
	 * @return the context, default {@code null}
	 */
	public @Nullable Object userContext() {
		return this.userContext;
	}

	/**
	 * Returns the earliest time the job's next step may run.
	 * @return the time, default {@code null}: as soon as possible
	 */
	public @Nullable Instant requestedStartTime() {
		return this.requestedStartTime;
	}

	/**
	 * Returns extra string entries that travel with the job, such as a trace context. On the wire
	 * they are the {@code metadata} object, omitted when empty; readers that do not know the field
	 * ignore it.
	 * @return an unmodifiable map, empty by default
	 */
	public Map<String, String> metadata() {
		return this.metadata;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof Job job)) {
			return false;
		}
		return this.stepsCompleted == job.stepsCompleted
				&& Double.compare(this.percentCompleted, job.percentCompleted) == 0
				&& Objects.equals(this.id, job.id) && this.workflowName.equals(job.workflowName)
				&& Objects.equals(this.stepName, job.stepName) && this.status == job.status
				&& Objects.equals(this.initialInputValue, job.initialInputValue)
				&& Objects.equals(this.lastReturnValue, job.lastReturnValue)
				&& Objects.equals(this.exceptionTraceback, job.exceptionTraceback)
				&& Objects.equals(this.userContext, job.userContext)
				&& Objects.equals(this.requestedStartTime, job.requestedStartTime)
				&& this.metadata.equals(job.metadata);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.id, this.workflowName, this.stepName, this.status, this.stepsCompleted);
	}

	@Override
	public String toString() {
		return "Job{id=" + this.id + ", workflow_name=" + this.workflowName + ", step_name=" + this.stepName
				+ ", status=" + this.status + ", steps_completed=" + this.stepsCompleted + ", percent_completed="
				+ this.percentCompleted + "}";
	}

	/**
	 * Builds a {@link Job}. Every attribute but the workflow name has the original model's default.
	 */
	public static final class Builder {

		private @Nullable Object id;

		private @Nullable String workflowName;

		private @Nullable String stepName;

		private @Nullable JobStatus status = JobStatus.QUEUED;

		private int stepsCompleted;

		private double percentCompleted;

		private @Nullable Object initialInputValue;

		private @Nullable Object lastReturnValue;

		private @Nullable String exceptionTraceback;

		private @Nullable Object userContext;

		private @Nullable Instant requestedStartTime;

		private @Nullable Map<String, String> metadata;

		private Builder() {
		}

		/**
		 * Sets the job's identifier.
		 * @param id any value Jackson can write, typically a UUID string
		 * @return this builder
		 */
		public Builder id(@Nullable Object id) {
			this.id = id;
			return this;
		}

		/**
		 * Sets the name of the workflow to execute. Required.
		 * @param workflowName a registered workflow's name
		 * @return this builder
		 */
		public Builder workflowName(@Nullable String workflowName) {
			this.workflowName = workflowName;
			return this;
		}

		/**
		 * Sets the step that runs next ({@code null}: the first one).
		 * @param stepName a step name
		 * @return this builder
		 */
		public Builder stepName(@Nullable String stepName) {
			this.stepName = stepName;
			return this;
		}

		/**
		 * Sets the status.
		 * @param status the status, default {@link JobStatus#QUEUED}
		 * @return this builder
		 */
		public Builder status(@Nullable JobStatus status) {
			this.status = status;
			return this;
		}

		/**
		 * Sets how many steps have run.
		 * @param stepsCompleted zero or more
		 * @return this builder
		 */
		public Builder stepsCompleted(int stepsCompleted) {
			this.stepsCompleted = stepsCompleted;
			return this;
		}

		/**
		 * Sets the progress.
		 * @param percentCompleted from 0.0 to 100.0
		 * @return this builder
		 */
		public Builder percentCompleted(double percentCompleted) {
			this.percentCompleted = percentCompleted;
			return this;
		}

		/**
		 * Sets the input of the first step.
		 * @param initialInputValue any value Jackson can write
		 * @return this builder
		 */
		public Builder initialInputValue(@Nullable Object initialInputValue) {
			this.initialInputValue = initialInputValue;
			return this;
		}

		/**
		 * Sets the value the last step returned.
		 * @param lastReturnValue any value Jackson can write
		 * @return this builder
		 */
		public Builder lastReturnValue(@Nullable Object lastReturnValue) {
			this.lastReturnValue = lastReturnValue;
			return this;
		}

		/**
		 * Sets why the job stopped early.
		 * @param exceptionTraceback a stack trace or abort reason
		 * @return this builder
		 */
		public Builder exceptionTraceback(@Nullable String exceptionTraceback) {
			this.exceptionTraceback = exceptionTraceback;
			return this;
		}

		/**
		 * Sets the user's context.
		 * @param userContext any value Jackson can write
		 * @return this builder
		 */
		public Builder userContext(@Nullable Object userContext) {
			this.userContext = userContext;
			return this;
		}

		/**
		 * Sets the earliest time the next step may run.
		 * @param requestedStartTime the time, or {@code null} for as soon as possible
		 * @return this builder
		 */
		public Builder requestedStartTime(@Nullable Instant requestedStartTime) {
			this.requestedStartTime = requestedStartTime;
			return this;
		}

		/**
		 * Sets one metadata entry, or removes it when the value is {@code null}.
		 * @param key the entry's key
		 * @param value the entry's value
		 * @return this builder
		 */
		public Builder metadata(String key, @Nullable String value) {
			if (value == null) {
				if (this.metadata != null) {
					this.metadata.remove(key);
				}
			}
			else {
				if (this.metadata == null) {
					this.metadata = new LinkedHashMap<>();
				}
				this.metadata.put(key, value);
			}
			return this;
		}

		/**
		 * Replaces all metadata entries.
		 * @param metadata the entries
		 * @return this builder
		 */
		public Builder metadata(Map<String, String> metadata) {
			this.metadata = new LinkedHashMap<>(metadata);
			return this;
		}

		/**
		 * Builds the job.
		 * @return the job
		 * @throws JobValidationException naming every invalid attribute
		 */
		public Job build() {
			List<JobValidationException.Violation> violations = new ArrayList<>(0);
			if (this.workflowName == null || this.workflowName.isBlank()) {
				violations.add(new JobValidationException.Violation("workflow_name",
						(this.workflowName != null) ? '"' + this.workflowName + '"' : null,
						"is required: the name of a registered workflow"));
			}
			if (this.status == null) {
				violations.add(new JobValidationException.Violation("status", null,
						"is required: one of SCHEDULED, QUEUED, RUNNING, COMPLETED, FAILED, ABORTED"));
			}
			if (this.stepsCompleted < 0) {
				violations.add(new JobValidationException.Violation("steps_completed",
						Integer.toString(this.stepsCompleted), "must be 0 or more"));
			}
			if (!(this.percentCompleted >= 0.0 && this.percentCompleted <= 100.0)) {
				violations.add(new JobValidationException.Violation("percent_completed",
						Double.toString(this.percentCompleted), "must be between 0.0 and 100.0"));
			}
			if (!violations.isEmpty()) {
				throw new JobValidationException(violations);
			}
			return new Job(this);
		}

	}

}
