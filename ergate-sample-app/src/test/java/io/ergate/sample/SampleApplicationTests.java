package io.ergate.sample;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample application end to end: demo jobs at startup, and the HTTP API.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void demoJobsRunAtStartupAndTheirTransitionsAreLoggedWithProgress(CapturedOutput output) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> output.getOut().contains("[my_first_workflow] finished: COMPLETED")
					&& output.getOut().contains("[order_workflow] finished: COMPLETED"));
		assertThat(output.getOut()).contains("step_2 received 22")
			.contains("[my_first_workflow] started: RUNNING at step step_1, percent_completed=0.0")
			.contains("[my_first_workflow] step step_1 done (NEXT): QUEUED, next step step_2, percent_completed=50.0")
			.contains("percent_completed=100.0, last_return_value=22")
			.contains("Receipt for Ada: 16.44 EUR")
			.contains("[branching_workflow] finished: ABORTED");
	}

	@Test
	void myFirstWorkflowTurns21Into22() throws Exception {
		String id = submit("{\"workflow_name\": \"my_first_workflow\", \"initial_input_value\": 21}");
		awaitStatus(id, "COMPLETED");
		this.mvc.perform(get("/jobs/" + id))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.id").value(id))
			.andExpect(jsonPath("$.workflow_name").value("my_first_workflow"))
			.andExpect(jsonPath("$.step_name").value("step_2"))
			.andExpect(jsonPath("$.steps_completed").value(2))
			.andExpect(jsonPath("$.percent_completed").value(100.0))
			.andExpect(jsonPath("$.initial_input_value").value(21))
			.andExpect(jsonPath("$.last_return_value").value(22))
			.andExpect(jsonPath("$.exception_traceback").doesNotExist());
	}

	@Test
	void theSeedsMinimalPayloadIsAValidJobAndANullInputIsNotTakenForZero() throws Exception {
		// accepted as a job; step_1 gets null (not 0) and fails the job saying what it needs
		String id = submit("{\"workflow_name\": \"my_first_workflow\"}");
		awaitStatus(id, "FAILED");
		this.mvc.perform(get("/jobs/" + id))
			.andExpect(jsonPath("$.step_name").value("step_1"))
			.andExpect(jsonPath("$.exception_traceback")
				.value(containsString("step_1 needs a number as initial_input_value, such as 21; the job has none")));
	}

	@Test
	void aNullInputForAPrimitiveParameterFailsTheJobNamingTheStep() throws Exception {
		String id = submit("{\"workflow_name\": \"branching_workflow\", \"initial_input_value\": null}");
		awaitStatus(id, "FAILED");
		this.mvc.perform(get("/jobs/" + id))
			.andExpect(jsonPath("$.step_name").value("classify"))
			.andExpect(jsonPath("$.exception_traceback")
				.value(containsString("The input of classify (parameter \"value\") is null, which a int cannot hold")));
	}

	@Test
	void orderWithoutCountryOrWithoutUserContextUsesTheDefaults() throws Exception {
		String noCountry = submit("""
				{"workflow_name": "order_workflow", "initial_input_value": ["book", "pen"],
				 "user_context": {"customer": "Bob"}}""");
		String noContext = submit("{\"workflow_name\": \"order_workflow\", \"initial_input_value\": [\"book\", \"pen\"]}");
		awaitStatus(noCountry, "COMPLETED");
		awaitStatus(noContext, "COMPLETED");
		this.mvc.perform(get("/jobs/" + noCountry))
			.andExpect(jsonPath("$.last_return_value").value("Receipt for Bob: 15.07 EUR"));
		this.mvc.perform(get("/jobs/" + noContext))
			.andExpect(jsonPath("$.last_return_value").value("Receipt for customer: 15.07 EUR"));
	}

	@Test
	void orderWorkflowUsesItsDependencyAndUserContext() throws Exception {
		String id = submit("""
				{"workflow_name": "order_workflow", "initial_input_value": ["book", "pen"],
				 "user_context": {"customer": "Bob", "country": "DE", "currency": "USD"}}""");
		awaitStatus(id, "COMPLETED");
		this.mvc.perform(get("/jobs/" + id))
			.andExpect(jsonPath("$.last_return_value").value("Receipt for Bob: 16.30 USD"))
			.andExpect(jsonPath("$.user_context.customer").value("Bob"))
			.andExpect(jsonPath("$.steps_completed").value(3));
	}

	@Test
	void orderOfAnUnknownItemFailsWithItsReason() throws Exception {
		String id = submit("""
				{"workflow_name": "order_workflow", "initial_input_value": ["unicorn"],
				 "user_context": {"customer": "Bob", "country": "DE", "currency": "USD"}}""");
		awaitStatus(id, "FAILED");
		this.mvc.perform(get("/jobs/" + id))
			.andExpect(jsonPath("$.step_name").value("price_items"))
			.andExpect(jsonPath("$.exception_traceback").value(containsString("No item named \"unicorn\"")));
	}

	@Test
	void branchingWorkflowTakesEachPath() throws Exception {
		String small = submit("{\"workflow_name\": \"branching_workflow\", \"initial_input_value\": 7}");
		String large = submit("{\"workflow_name\": \"branching_workflow\", \"initial_input_value\": 150}");
		String zero = submit("{\"workflow_name\": \"branching_workflow\", \"initial_input_value\": 0}");
		String negative = submit("{\"workflow_name\": \"branching_workflow\", \"initial_input_value\": -5}");
		awaitStatus(small, "COMPLETED");
		this.mvc.perform(get("/jobs/" + small))
			.andExpect(jsonPath("$.last_return_value").value("result: 14"))
			.andExpect(jsonPath("$.steps_completed").value(3));
		awaitStatus(large, "COMPLETED");
		this.mvc.perform(get("/jobs/" + large))
			.andExpect(jsonPath("$.last_return_value").value("result: 75"))
			.andExpect(jsonPath("$.steps_completed").value(3));
		awaitStatus(zero, "COMPLETED");
		this.mvc.perform(get("/jobs/" + zero))
			.andExpect(jsonPath("$.last_return_value").value("zero: done at once"))
			.andExpect(jsonPath("$.steps_completed").value(1))
			.andExpect(jsonPath("$.percent_completed").value(100.0));
		awaitStatus(negative, "ABORTED");
		this.mvc.perform(get("/jobs/" + negative))
			.andExpect(jsonPath("$.exception_traceback").value("AbortJob: negative input -5: nothing to do with it"))
			.andExpect(jsonPath("$.percent_completed").value(0.0));
	}

	@Test
	void unknownJobIdIs404() throws Exception {
		this.mvc.perform(get("/jobs/no-such-job"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(404))
			.andExpect(jsonPath("$.detail").value("No job with id \"no-such-job\" is known to the state store"));
	}

	@Test
	void unknownWorkflowIs400NamingTheField() throws Exception {
		this.mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"workflow_name\": \"nope\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.title").value("Unknown workflow"))
			.andExpect(jsonPath("$.violations[0].field").value("workflow_name"))
			.andExpect(jsonPath("$.violations[0].value").value("\"nope\""))
			.andExpect(jsonPath("$.detail").value(containsString("known: branching_workflow, flaky_workflow, my_first_workflow")));
	}

	@Test
	void malformedJsonIs400() throws Exception {
		this.mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"workflow_name\": "))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.title").value("Malformed JSON"))
			.andExpect(jsonPath("$.violations[0].field").value("body"))
			.andExpect(jsonPath("$.violations[0].problem").value(containsString("is not valid JSON")));
	}

	@Test
	void missingBodyIs400() throws Exception {
		this.mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.violations[0].field").value("body"));
	}

	@Test
	void invalidFieldsAre400NamingEachField() throws Exception {
		this.mvc
			.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON)
				.content("{\"workflow_name\": \"my_first_workflow\", \"steps_completed\": \"many\", "
						+ "\"percent_completed\": 150}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.title").value("Invalid job"))
			.andExpect(jsonPath("$.violations[*].field").value(hasItems("steps_completed", "percent_completed")))
			.andExpect(jsonPath("$.violations[0].value").value("\"many\""));
		this.mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"initial_input_value\": 1}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.violations[0].field").value("workflow_name"))
			.andExpect(jsonPath("$.violations[0].problem").value(containsString("is required")));
	}

	@Test
	void unknownFieldsAre400NamingEach() throws Exception {
		this.mvc
			.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON)
				.content("{\"workflow_name\": \"my_first_workflow\", \"intial_input_value\": 21}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.title").value("Invalid job"))
			.andExpect(jsonPath("$.violations[0].field").value("intial_input_value"))
			.andExpect(jsonPath("$.violations[0].value").value("21"))
			.andExpect(jsonPath("$.violations[0].problem").value(containsString("is not a field of a job (known: ")))
			.andExpect(jsonPath("$.violations[0].problem").value(containsString("initial_input_value")));
	}

	@Test
	void aBodyThatIsNotAnObjectIs400InPlainWords() throws Exception {
		this.mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content("[{\"workflow_name\": \"x\"}]"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.violations[0].field").value("body"))
			.andExpect(jsonPath("$.violations[0].value").value("an array"))
			.andExpect(jsonPath("$.violations[0].problem").value(containsString("must be a JSON object")))
			.andExpect(content().string(not(containsString("START_ARRAY"))));
	}

	@Test
	void wrongMediaTypeIs415AndWrongMethodIs405WithProblemBodies() throws Exception {
		this.mvc.perform(post("/jobs").contentType(MediaType.TEXT_PLAIN).content("workflow_name=my_first_workflow"))
			.andExpect(status().isUnsupportedMediaType())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(415))
			.andExpect(jsonPath("$.title").value("Unsupported Media Type"))
			.andExpect(jsonPath("$.detail").value(containsString("text/plain")));
		this.mvc.perform(delete("/jobs"))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(405))
			.andExpect(jsonPath("$.detail").value(containsString("DELETE")));
	}

	@Test
	void listsTheWorkflowsAndTheirSteps() throws Exception {
		this.mvc.perform(get("/workflows"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(hasItems("my_first_workflow", "order_workflow", "branching_workflow")))
			.andExpect(jsonPath("$[?(@.name == 'my_first_workflow')].steps[*].name").value(hasItems("step_1", "step_2")))
			.andExpect(jsonPath("$[?(@.name == 'branching_workflow')].steps[0].pathHints[*]")
				.value(hasItems("next", "goTo(handle_large)", "end")));
		// the same spelling as the ergate endpoint's
		this.mvc.perform(get("/actuator/ergate"))
			.andExpect(jsonPath("$.workflows[?(@.name == 'branching_workflow')].steps[0].pathHints[*]")
				.value(hasItems("next", "goTo(handle_large)", "end")))
			.andExpect(jsonPath("$.workflows[?(@.name == 'branching_workflow')].steps[1].pathHints[*]")
				.value(hasItems("goTo(report)")));
	}

	@Test
	void actuatorShowsErgateHealthEndpointAndMetrics() throws Exception {
		String id = submit("{\"workflow_name\": \"my_first_workflow\", \"initial_input_value\": 1}");
		awaitStatus(id, "COMPLETED");
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.components.ergate.status").value("UP"))
			.andExpect(jsonPath("$.components.ergate.details.worker").value("running"))
			.andExpect(jsonPath("$.components.ergate.details.concurrency").value(4))
			.andExpect(jsonPath("$.components.ergate.details.workflows",
					hasItems("my_first_workflow", "order_workflow", "branching_workflow")));
		this.mvc.perform(get("/actuator/ergate"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.workflows[*].name", hasItems("my_first_workflow", "order_workflow")))
			.andExpect(jsonPath("$.worker.state").value("running"))
			.andExpect(jsonPath("$.jobs.COMPLETED").isNumber());
		this.mvc.perform(get("/actuator/metrics/ergate.step").param("tag", "workflow:my_first_workflow"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.availableTags[*].tag", hasItems("step", "outcome")));
		this.mvc.perform(get("/actuator/metrics/ergate.jobs").param("tag", "status:completed"))
			.andExpect(status().isOk());
	}

	private String submit(String json) throws Exception {
		MvcResult result = this.mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(json))
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", containsString("/jobs/")))
			.andReturn();
		String id = JsonPath.read(result.getResponse().getContentAsString(), "$.id");
		assertThat(result.getResponse().getHeader("Location")).isEqualTo("/jobs/" + id);
		return id;
	}

	private void awaitStatus(String id, String status) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			String body = this.mvc.perform(get("/jobs/" + id)).andReturn().getResponse().getContentAsString();
			// the job JSON's status is the integer code of the default io.ergate.JobJsonFormat
			Object code = JsonPath.read(body, "$.status");
			return Integer.valueOf(io.ergate.JobJsonFormat.DEFAULT.statusNumbering()
				.code(io.ergate.JobStatus.valueOf(status))).equals(code);
		});
	}

}
