package io.ergate.sample;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.ergate.JobJsonFormat;
import io.ergate.JobStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample's failure handling over HTTP: {@code flaky_workflow} completes on its third attempt,
 * {@code slow_workflow} is cancelled while it runs, a failed job is run again, jobs are listed, and the
 * {@code ergate} endpoint's write operation stays off (read-only by default).
 */
@SpringBootTest
@AutoConfigureMockMvc
class FailureHandlingSampleTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void theFlakyWorkflowCompletesOnItsThirdAttempt() throws Exception {
		String id = submit("{\"workflow_name\": \"flaky_workflow\", \"initial_input_value\": \"ping\"}");
		// between attempts the job waits SCHEDULED at the same step, with its attempt in the metadata
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			String body = body("/jobs/" + id);
			return code(JobStatus.SCHEDULED).equals(JsonPath.read(body, "$.status"))
					&& "2".equals(JsonPath.read(body, "$.metadata.attempt"));
		});
		this.mvc.perform(get("/jobs/" + id))
			.andExpect(jsonPath("$.step_name").value("call_service"))
			.andExpect(jsonPath("$.metadata.max_attempts").value("3"))
			.andExpect(jsonPath("$.metadata.last_error").value(containsString("unavailable (attempt 1)")))
			.andExpect(jsonPath("$.requested_start_time").exists());
		awaitStatus(id, JobStatus.COMPLETED);
		this.mvc.perform(get("/jobs/" + id))
			.andExpect(jsonPath("$.last_return_value").value("stored: answer to ping on attempt 3"));
	}

	@Test
	void aFailedJobIsRunAgainAndOnlyAFinishedJobCanBe() throws Exception {
		String id = submit("{\"workflow_name\": \"flaky_workflow\", \"initial_input_value\": \"fail\"}");
		awaitStatus(id, JobStatus.FAILED);
		this.mvc.perform(get("/jobs/" + id)).andExpect(jsonPath("$.metadata.attempt").value("3"));
		this.mvc.perform(get("/jobs").param("workflow", "flaky_workflow").param("status", "failed"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].id").value(hasItem(id)))
			.andExpect(jsonPath("$[*].status").value(everyItem(org.hamcrest.Matchers.is(code(JobStatus.FAILED)))));
		this.mvc.perform(post("/jobs/" + id + "/retry"))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.status").value(code(JobStatus.QUEUED)))
			.andExpect(jsonPath("$.step_name").value("call_service"));
		awaitStatus(id, JobStatus.FAILED);
		String done = submit("{\"workflow_name\": \"my_first_workflow\", \"initial_input_value\": 1}");
		awaitStatus(done, JobStatus.COMPLETED);
		this.mvc.perform(post("/jobs/" + done + "/retry"))
			.andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(containsString("is COMPLETED: only a FAILED, ABORTED or CANCELLED job "
					+ "can be retried")));
		this.mvc.perform(post("/jobs/no-such-job/retry"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.detail").value("No job with id \"no-such-job\" is known to the state store"));
	}

	@Test
	void theSlowWorkflowIsCancelledWhileItRunsAndCanBeRunAgain() throws Exception {
		String id = submit("{\"workflow_name\": \"slow_workflow\", \"initial_input_value\": 30}");
		awaitStatus(id, JobStatus.RUNNING);
		this.mvc.perform(post("/jobs/" + id + "/cancel"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value(code(JobStatus.CANCELLING)));
		awaitStatus(id, JobStatus.CANCELLED);
		// the step stopped early; report, the step it would have run next, did not run
		this.mvc.perform(get("/jobs/" + id))
			.andExpect(jsonPath("$.step_name").value("report"))
			.andExpect(jsonPath("$.steps_completed").value(1));
		this.mvc.perform(get("/jobs").param("status", "CANCELLED"))
			.andExpect(jsonPath("$[*].id").value(hasItem(id)));
		this.mvc.perform(post("/jobs/" + id + "/retry")).andExpect(status().isAccepted());
		awaitStatus(id, JobStatus.COMPLETED);
		this.mvc.perform(get("/jobs/" + id)).andExpect(jsonPath("$.last_return_value").value(containsString("worked ")));
		// cancelling a finished job leaves it as it is
		this.mvc.perform(post("/jobs/" + id + "/cancel"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value(code(JobStatus.COMPLETED)));
		this.mvc.perform(post("/jobs/no-such-job/cancel")).andExpect(status().isNotFound());
	}

	@Test
	void jobsAreListedByWorkflowAndStatusAndBadFiltersAre400() throws Exception {
		String id = submit("{\"workflow_name\": \"my_first_workflow\", \"initial_input_value\": 5}");
		awaitStatus(id, JobStatus.COMPLETED);
		this.mvc.perform(get("/jobs").param("workflow", "my_first_workflow").param("limit", "500"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].id").value(hasItem(id)))
			.andExpect(jsonPath("$[*].workflow_name").value(everyItem(org.hamcrest.Matchers.is("my_first_workflow"))));
		this.mvc.perform(get("/jobs").param("workflow", "order_workflow").param("limit", "500"))
			.andExpect(jsonPath("$[*].id").value(not(hasItem(id))));
		this.mvc.perform(get("/jobs").param("limit", "1")).andExpect(jsonPath("$.length()").value(1));
		this.mvc.perform(get("/jobs").param("status", "done"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(containsString("status \"done\" is not a job status (known: SCHEDULED")));
		this.mvc.perform(get("/jobs").param("limit", "0")).andExpect(status().isBadRequest());
	}

	@Test
	void theErgateEndpointCountsEveryStatusAndItsWriteOperationIsOffByDefault() throws Exception {
		this.mvc.perform(get("/actuator/ergate"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.jobs.CANCELLED").isNumber())
			.andExpect(jsonPath("$.jobs.CANCELLING").isNumber())
			.andExpect(jsonPath("$.jobs.PENDING").isNumber());
		String id = submit("{\"workflow_name\": \"slow_workflow\", \"initial_input_value\": 1}");
		int answer = this.mvc.perform(post("/actuator/ergate/" + id + "/cancel")).andReturn().getResponse().getStatus();
		assertThat(answer).as("POST to the read-only ergate endpoint").isIn(404, 405);
		this.mvc.perform(get("/actuator/health"))
			.andExpect(jsonPath("$.components.ergate.details.stuckSteps").doesNotExist());
	}

	private String submit(String json) throws Exception {
		String body = this.mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(json))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return JsonPath.read(body, "$.id");
	}

	private String body(String path) throws Exception {
		return this.mvc.perform(get(path)).andReturn().getResponse().getContentAsString();
	}

	private void awaitStatus(String id, JobStatus status) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> code(status).equals(JsonPath.read(body("/jobs/" + id), "$.status")));
	}

	/**
	 * The status as the job JSON writes it: the integer code of the default format, or, for a status
	 * that numbering has no code for (PENDING, CANCELLING, CANCELLED: Python Ergate 0.0 has none), its name.
	 */
	private static Object code(JobStatus status) {
		int code = JobJsonFormat.DEFAULT.statusNumbering().code(status);
		return (code > 0) ? (Object) code : status.name();
	}

}
