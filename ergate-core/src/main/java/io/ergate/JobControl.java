package io.ergate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on jobs from outside their steps: submits them, cancels them, runs finished ones again,
 * deletes and lists them. Each change is a compare-and-set on the job's recorded state (a {@link FencingStateStore}), or
 * one transaction of a queue that hands over atomically with its store.
 */
final class JobControl {

	private static final Logger logger = LoggerFactory.getLogger(JobControl.class);

	private final JobQueue queue;

	private final StateStore stateStore;

	private final WorkflowRegistry registry;

	private final JobRunner runner;

	private final Delayer delayer;

	private final WorkerPool workers;

	/** The queue, when it makes these changes itself in one transaction with the store; else null. */
	private final @Nullable ReliableJobQueue atomicQueue;

	private final Clock clock;

	JobControl(JobQueue queue, StateStore stateStore, WorkflowRegistry registry, JobRunner runner, Delayer delayer,
			WorkerPool workers, Clock clock) {
		this.clock = clock;
		this.queue = queue;
		this.stateStore = stateStore;
		this.registry = registry;
		this.runner = runner;
		this.delayer = delayer;
		this.workers = workers;
		this.atomicQueue = (queue instanceof ReliableJobQueue reliable && reliable.handsOverAtomically(stateStore))
				? reliable : null;
	}

	Job submit(Job job) {
		if (this.registry.get(job.workflowName()) == null) {
			throw new UnknownWorkflowException(job.workflowName(), this.registry.names());
		}
		Job.Builder builder = job.toBuilder();
		if (job.id() == null) {
			builder.id(UUID.randomUUID().toString());
		}
		Instant startTime = job.requestedStartTime();
		boolean later = startTime != null && this.clock.instant().isBefore(startTime);
		builder.status(later ? JobStatus.SCHEDULED : JobStatus.QUEUED);
		Job submitted = builder.build();
		if (this.queue instanceof ReliableJobQueue reliable) {
			reliable.submit(submitted, this.stateStore);
			return submitted;
		}
		this.stateStore.update(submitted);
		this.delayer.putOrHold(submitted);
		return submitted;
	}

	Optional<Job> cancel(Object id) {
		FencingStateStore store = fencing("cancel jobs");
		Optional<Job> after;
		if (this.atomicQueue != null) {
			after = this.atomicQueue.cancel(id, this.stateStore);
		}
		else {
			after = cancelInStore(store, id);
		}
		after.ifPresent((job) -> {
			if (job.status() == JobStatus.CANCELLED) {
				logger.info("Job {} (workflow {}) was cancelled before step {} ran", id, job.workflowName(),
						job.stepName());
				this.runner.handOn.notifyListeners(new StepResult(job, stepToRun(job), StepOutcome.CANCELLED,
						Duration.ZERO, null));
			}
			else if (job.status() == JobStatus.CANCELLING) {
				logger.info("Job {} (workflow {}) is being cancelled: step {} is running", id, job.workflowName(),
						job.stepName());
				tellLocalStep(id);
			}
		});
		return after;
	}

	/** The step a job would run next: its step_name, or the one its steps_completed points at. */
	private String stepToRun(Job job) {
		if (job.stepName() != null) {
			return job.stepName();
		}
		RegisteredWorkflow workflow = this.registry.get(job.workflowName());
		return (workflow != null && job.stepsCompleted() < workflow.size()) ? workflow.stepName(job.stepsCompleted())
				: String.valueOf(job.stepName());
	}

	private static Optional<Job> cancelInStore(FencingStateStore store, Object id) {
		while (true) {
			Job recorded = store.findById(id).orElse(null);
			if (recorded == null) {
				return Optional.empty();
			}
			JobStatus status = recorded.status();
			if (status.isFinal() || status == JobStatus.CANCELLING) {
				return Optional.of(recorded);
			}
			Job requested = recorded.withStatus((status == JobStatus.RUNNING) ? JobStatus.CANCELLING
					: JobStatus.CANCELLED, recorded.stepName());
			if (store.updateIf(requested, (current) -> current.status() == status
					&& current.stepsCompleted() == recorded.stepsCompleted() && current.attempt() == recorded.attempt())) {
				return Optional.of(requested);
			}
		}
	}

	/** A step of this process running the job sees the cancel at once, not at the next check. */
	private void tellLocalStep(Object id) {
		for (WorkerLoop loop : this.workers.loops) {
			StepRun run = loop.running();
			if (run != null && id.equals(run.job().id())) {
				run.cancelRequested = true;
				if (this.runner.watch.interruptsOnCancel()) {
					run.interrupt();
				}
			}
		}
	}

	Optional<Job> retry(Object id) {
		FencingStateStore store = fencing("retry jobs");
		while (true) {
			Job recorded = store.findById(id).orElse(null);
			if (recorded == null) {
				return Optional.empty();
			}
			JobStatus status = recorded.status();
			if (status != JobStatus.FAILED && status != JobStatus.ABORTED && status != JobStatus.CANCELLED) {
				throw new IllegalStateException("Job " + id + " is " + status + ": only a FAILED, ABORTED or CANCELLED "
						+ "job can be retried" + (status.isFinal() ? "" : " (cancel it first to run it again)"));
			}
			if (this.registry.get(recorded.workflowName()) == null) {
				throw new UnknownWorkflowException(recorded.workflowName(), this.registry.names());
			}
			Job requeued = Attempts.cleared(recorded.toBuilder()
				.status(JobStatus.QUEUED)
				.exceptionTraceback(null)
				.requestedStartTime(null)).build();
			if (this.atomicQueue != null) {
				if (this.atomicQueue.requeue(requeued, status, this.stateStore)) {
					return requeued(requeued, status);
				}
				continue;
			}
			if (store.updateIf(requeued, (current) -> current.status() == status
					&& current.stepsCompleted() == recorded.stepsCompleted())) {
				// between the write and the put a crash leaves the job QUEUED and not on the queue: rare, and
				// the fenced claim makes a second copy harmless, so a queue that redelivers loses nothing else
				this.delayer.putOrHold(requeued);
				return requeued(requeued, status);
			}
		}
	}

	private static Optional<Job> requeued(Job job, JobStatus from) {
		logger.info("Job {} (workflow {}) was {} and runs again from step {}", job.id(), job.workflowName(), from,
				job.stepName());
		return Optional.of(job);
	}

	int retryAll(String workflowName, JobStatus status) {
		QueryableStateStore store = queryable("retry jobs in bulk");
		int retried = 0;
		int offset = 0;
		while (true) {
			List<Job> page = store.findJobs(workflowName, status, offset, 500);
			if (page.isEmpty()) {
				return retried;
			}
			int before = retried;
			for (Job job : page) {
				Object id = job.id();
				try {
					if (id != null && retry(id).isPresent()) {
						retried++;
					}
				}
				catch (IllegalStateException ex) {
					// changed status meanwhile: it stays as it is now
				}
			}
			// retried jobs left the status, so the next page starts where the jobs still in it are
			offset += page.size() - (retried - before);
		}
	}

	boolean delete(Object id) {
		QueryableStateStore store = queryable("delete jobs");
		Job recorded = store.findById(id).orElse(null);
		if (recorded == null) {
			return false;
		}
		if (!recorded.status().isFinal()) {
			throw new IllegalStateException("Job " + id + " is " + recorded.status() + ": only a job in a final status "
					+ "(COMPLETED, FAILED, ABORTED, CANCELLED) can be deleted; cancel it first");
		}
		return store.deleteFinished(id);
	}

	List<Job> jobs(@Nullable String workflowName, @Nullable JobStatus status, int offset, int limit) {
		return queryable("list jobs").findJobs(workflowName, status, offset, limit);
	}

	private FencingStateStore fencing(String what) {
		if (this.stateStore instanceof FencingStateStore fencing) {
			return fencing;
		}
		throw new UnsupportedOperationException("To " + what + ", Ergate needs a state store that can change a job's "
				+ "state atomically (a io.ergate.FencingStateStore, such as InMemoryStateStore or JdbcStateStore); "
				+ this.stateStore.getClass().getName() + " is not one");
	}

	private QueryableStateStore queryable(String what) {
		if (this.stateStore instanceof QueryableStateStore queryable) {
			return queryable;
		}
		throw new UnsupportedOperationException("To " + what + ", Ergate needs a state store that can be queried (a "
				+ "io.ergate.QueryableStateStore, such as InMemoryStateStore or JdbcStateStore); "
				+ this.stateStore.getClass().getName() + " is not one");
	}

}
