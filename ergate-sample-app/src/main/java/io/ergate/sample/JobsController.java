package io.ergate.sample;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.ergate.Ergate;
import io.ergate.Job;
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
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's HTTP API: submit a job, read a job's state, list the workflows.
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
