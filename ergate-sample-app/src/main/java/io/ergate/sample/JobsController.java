package io.ergate.sample;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.JobValidationException;
import io.ergate.QueryableStateStore;
import io.ergate.StateStore;
import io.ergate.Workflow;
import io.ergate.spring.ErgateClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's HTTP API: submit a job, read a job's state, list jobs, cancel a job or run a finished
 * one again, list the workflows.
 */
@RestController
class JobsController {

	/** The fields of a job in the seed's JSON; any other field of a submitted job is rejected. */
	private static final Set<String> JOB_FIELDS = Set.of("id", "workflow_name", "step_name", "status",
			"steps_completed", "percent_completed", "initial_input_value", "last_return_value", "exception_traceback",
			"user_context", "requested_start_time", "metadata");

	private final ErgateClient client;

	private final Ergate ergate;

	private final JsonMapper jsonMapper;

	JobsController(ErgateClient client, Ergate ergate, JsonMapper jsonMapper) {
		this.client = client;
		this.ergate = ergate;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Submits a job given in the seed's JSON, such as
	 * {@code {"workflow_name": "my_first_workflow", "initial_input_value": 21}}. Unlike a queue, which
	 * ignores fields it does not know (a job written by a newer version stays readable), this API
	 * rejects them: a misspelt {@code intial_input_value} is answered 400, not silently dropped.
	 * @param body the new job
	 * @return 202 with the job's id and its location
	 * @throws JobValidationException when the body is not a JSON object, has unknown fields or
	 * invalid values: answered 400 naming each
	 */
	@PostMapping("/jobs")
	ResponseEntity<Map<String, Object>> submit(@RequestBody JsonNode body) {
		Object id = this.client.submit(job(body));
		return ResponseEntity.accepted().location(URI.create("/jobs/" + id)).body(Map.of("id", id));
	}

	private Job job(JsonNode body) {
		if (!body.isObject()) {
			String found = body.isArray() ? "an array" : body.isNull() ? "null" : "a " + body.getNodeType().name().toLowerCase(Locale.ROOT);
			throw new JobValidationException(List.of(new JobValidationException.Violation("body", found,
					"must be a JSON object such as {\"workflow_name\": \"my_first_workflow\"}")));
		}
		List<JobValidationException.Violation> unknown = new ArrayList<>();
		for (String field : body.propertyNames()) {
			if (!JOB_FIELDS.contains(field)) {
				unknown.add(new JobValidationException.Violation(field, body.get(field).toString(),
						"is not a field of a job (known: " + String.join(", ", JOB_FIELDS.stream().sorted().toList())
								+ ")"));
			}
		}
		if (!unknown.isEmpty()) {
			throw new JobValidationException(unknown);
		}
		try {
			return this.jsonMapper.treeToValue(body, Job.class);
		}
		catch (RuntimeException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof JobValidationException invalid) {
					throw invalid;
				}
			}
			throw ex;
		}
	}

	/**
	 * Returns the latest state of a job, in the seed's JSON.
	 * @param id the job's id
	 * @return 200 with the job, 404 when unknown, 501 when the state store cannot be read back
	 */
	@GetMapping("/jobs/{id}")
	ResponseEntity<?> job(@PathVariable String id) {
		StateStore store = this.ergate.stateStore();
		if (!(store instanceof QueryableStateStore queryable)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_IMPLEMENTED,
					"The state store (" + store.getClass().getName() + ") cannot be read back: "
							+ "declare a StateStore bean that implements QueryableStateStore to look jobs up by id");
			return ResponseEntity.of(problem).build();
		}
		return queryable.findById(id).<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					"No job with id \"" + id + "\" is known to the state store");
			return ResponseEntity.of(problem).build();
		});
	}

	/**
	 * Lists recorded jobs, most recently created first.
	 * @param workflow only jobs of this workflow, when given
	 * @param status only jobs in this status, when given: a name such as {@code FAILED} (any case)
	 * @param offset how many matching jobs to skip (default 0)
	 * @param limit the most jobs to return, from 1 to 500 (default 20)
	 * @return 200 with the jobs in the seed's JSON; 400 for a bad status, offset or limit; 501 when the
	 * state store cannot be queried
	 */
	@GetMapping("/jobs")
	ResponseEntity<?> jobs(@RequestParam(required = false) String workflow, @RequestParam(required = false) String status,
			@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "20") int limit) {
		JobStatus wanted = null;
		if (status != null && !status.isBlank()) {
			for (JobStatus candidate : JobStatus.values()) {
				if (candidate.name().equalsIgnoreCase(status.trim())) {
					wanted = candidate;
				}
			}
			if (wanted == null) {
				return problem(HttpStatus.BAD_REQUEST, "status \"" + status + "\" is not a job status (known: "
						+ String.join(", ", java.util.Arrays.stream(JobStatus.values()).map(Enum::name).toList()) + ")");
			}
		}
		if (offset < 0 || limit < 1 || limit > 500) {
			return problem(HttpStatus.BAD_REQUEST, "offset must be 0 or more and limit from 1 to 500, were " + offset
					+ " and " + limit);
		}
		JobStatus filter = wanted;
		return act(() -> ResponseEntity.ok(this.client.jobs((workflow == null || workflow.isBlank()) ? null : workflow,
				filter, offset, limit)));
	}

	/**
	 * Cancels a job: a waiting job is {@code CANCELLED} at once, a running one {@code CANCELLING} until its
	 * step ends; a finished one is left as it is.
	 * @param id the job's id
	 * @return 200 with the job's state after the request; 404 for an unknown id; 501 when the state store
	 * cannot record a cancel
	 */
	@PostMapping("/jobs/{id}/cancel")
	ResponseEntity<?> cancel(@PathVariable String id) {
		return act(() -> found(id, this.client.cancel(id)));
	}

	/**
	 * Runs a {@code FAILED}, {@code ABORTED} or {@code CANCELLED} job again from the step where it stopped.
	 * @param id the job's id
	 * @return 202 with the job as requeued; 404 for an unknown id; 409 for a job in another status; 501
	 * when the state store cannot requeue it
	 */
	@PostMapping("/jobs/{id}/retry")
	ResponseEntity<?> retry(@PathVariable String id) {
		return act(() -> {
			try {
				Optional<Job> requeued = this.client.retry(id);
				return requeued.<ResponseEntity<?>>map((job) -> ResponseEntity.accepted().body(job))
					.orElseGet(() -> unknown(id));
			}
			catch (IllegalStateException ex) {
				return problem(HttpStatus.CONFLICT, String.valueOf(ex.getMessage()));
			}
		});
	}

	private static ResponseEntity<?> found(String id, Optional<Job> job) {
		return job.<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> unknown(id));
	}

	private static ResponseEntity<?> unknown(String id) {
		return problem(HttpStatus.NOT_FOUND, "No job with id \"" + id + "\" is known to the state store");
	}

	/** Runs an action on jobs; a state store that cannot do it is answered 501 with what it needs. */
	private static ResponseEntity<?> act(Supplier<ResponseEntity<?>> action) {
		try {
			return action.get();
		}
		catch (UnsupportedOperationException ex) {
			return problem(HttpStatus.NOT_IMPLEMENTED, String.valueOf(ex.getMessage()));
		}
	}

	private static ResponseEntity<?> problem(HttpStatus status, String detail) {
		return ResponseEntity.of(ProblemDetail.forStatusAndDetail(status, detail)).build();
	}

	/**
	 * Lists the registered workflows and their steps.
	 * @return each workflow's name and steps, with their path hints
	 */
	@GetMapping("/workflows")
	List<Map<String, Object>> workflows() {
		return this.ergate.workflows().stream().map(JobsController::describe).toList();
	}

	private static Map<String, Object> describe(Workflow workflow) {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("name", workflow.name());
		description.put("steps", workflow.steps().stream().map((step) -> {
			Map<String, Object> stepDescription = new LinkedHashMap<>();
			stepDescription.put("name", step.name());
			// the same shape as the ergate Actuator endpoint's: "pathHints": ["next", "goTo(report)", "end"]
			stepDescription.put("pathHints", step.pathHints().stream().map(Object::toString).toList());
			return stepDescription;
		}).toList());
		return description;
	}

}
