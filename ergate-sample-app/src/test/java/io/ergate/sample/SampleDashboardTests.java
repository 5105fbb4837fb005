package io.ergate.sample;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample's dashboard: anyone may look, only the demo operator may act, and the sample's HTTP API
 * stays open.
 */
@SpringBootTest(properties = "sample.demo-jobs.enabled=false") // a context of its own: SampleApplicationTests reads the demo jobs' log
@AutoConfigureMockMvc
class SampleDashboardTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void anonymousVisitorsSeeTheDashboardReadOnly() throws Exception {
		this.mvc.perform(get("/ergate"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Jobs per status")))
			.andExpect(content().string(containsString("read-only")));
		this.mvc.perform(get("/ergate/workflows"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("branching_workflow")));
		int refused = this.mvc.perform(post("/ergate/workflows/order_workflow/retry-failed").param("confirmed", "true"))
			.andReturn()
			.getResponse()
			.getStatus();
		assertThat(refused).as("an anonymous action").isIn(302, 401, 403);
	}

	@Test
	void theDemoOperatorSignsInAndMayAct() throws Exception {
		MockHttpSession session = new MockHttpSession();
		MvcResult login = this.mvc.perform(get("/ergate/login").session(session)).andExpect(status().isOk()).andReturn();
		String token = csrf(login.getResponse().getContentAsString());
		this.mvc.perform(post("/ergate/login").session(session)
			.param("username", "operator")
			.param("password", "operator")
			.param("_csrf", token)).andExpect(status().is3xxRedirection());
		this.mvc.perform(get("/ergate/workflows").session(session))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("operator")))
			.andExpect(content().string(containsString("Retry failed")));
		this.mvc.perform(post("/ergate/workflows/order_workflow/retry-failed").session(session).param("confirmed", "true"))
			.andExpect(status().isForbidden());
		MvcResult confirm = this.mvc.perform(get("/ergate/workflows/order_workflow/retry-failed").session(session))
			.andExpect(status().isOk())
			.andReturn();
		this.mvc.perform(post("/ergate/workflows/order_workflow/retry-failed").session(session)
			.param("confirmed", "true")
			.param("_csrf", csrf(confirm.getResponse().getContentAsString())))
			.andExpect(status().is3xxRedirection());
	}

	@Test
	void theSampleApiStaysOpen() throws Exception {
		this.mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON)
			.content("{\"workflow_name\": \"my_first_workflow\", \"initial_input_value\": 21}"))
			.andExpect(status().isAccepted());
		this.mvc.perform(get("/workflows")).andExpect(status().isOk());
	}

	private static String csrf(String page) {
		Matcher matcher = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

}
