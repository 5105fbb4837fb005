package io.ergate.sample;

import io.ergate.Ergate;
import io.ergate.memory.InMemoryJobQueue;
import io.ergate.spring.ErgateClient;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.json.JsonMapper;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code GET /jobs/{id}} on a state store that cannot be read back.
 */
class JobsControllerWithoutQueryableStoreTests {

	@Test
	void answers501WithTheFix() throws Exception {
		Ergate ergate = new Ergate(new InMemoryJobQueue(), (job) -> {
		});
		MockMvc mvc = MockMvcBuilders.standaloneSetup(new JobsController(new ErgateClient(ergate), ergate, JsonMapper.shared())).build();
		mvc.perform(get("/jobs/42"))
			.andExpect(status().isNotImplemented())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(containsString("cannot be read back")))
			.andExpect(jsonPath("$.detail").value(containsString("QueryableStateStore")));
	}

}
