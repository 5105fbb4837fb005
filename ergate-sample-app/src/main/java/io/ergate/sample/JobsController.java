package io.ergate.sample;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ergate.Ergate;
import io.ergate.Job;
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

/**
 * The sample's HTTP API: submit a job, read a job's state, list the workflows.
 */
@RestController
class JobsController {

	private final ErgateClient client;

	private final Ergate ergate;

	JobsController(ErgateClient client, Ergate ergate) {
		this.client = client;
		this.ergate = ergate;
	}

	/**
	 * Submits a job given in the seed's JSON, such as
	 * {@code {"workflow_name": "my_first_workflow", "initial_input_value": 21}}.
	 * @param job the new job
	 * @return 202 with the job's id and its location
	 */
	@PostMapping("/jobs")
	ResponseEntity<Map<String, Object>> submit(@RequestBody Job job) {
		Object id = this.client.submit(job);
		return ResponseEntity.accepted().location(URI.create("/jobs/" + id)).body(Map.of("id", id));
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
			stepDescription.put("path_hints", step.pathHints().stream().map(Object::toString).toList());
			return stepDescription;
		}).toList());
		return description;
	}

}
