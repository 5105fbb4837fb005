package io.ergate.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.dashboard.app.DashboardTestApplication;
import io.ergate.spring.ErgateClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard over plain HTTP, under Spring Security: who sees what, who may act, and the CSRF check.
 */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	ErgateClient client;

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private HttpResponse<String> get(String path, String user) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (user != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String user, String form) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		if (user != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void everyPageRendersForAViewer() throws Exception {
		String failed = this.client.submit("orders", -1, null);
		this.client.await(failed, Duration.ofSeconds(10));
		assertThat(get("/ergate", "viewer").statusCode()).isEqualTo(200);
		HttpResponse<String> overview = get("/ergate", "viewer");
		assertThat(overview.body()).contains("Jobs per status", "Throughput", "Workers");
		HttpResponse<String> jobs = get("/ergate/jobs?workflow=orders", "viewer");
		assertThat(jobs.statusCode()).isEqualTo(200);
		assertThat(jobs.body()).contains(failed).doesNotContain("/retry\"");
		HttpResponse<String> job = get("/ergate/jobs/" + failed, "viewer");
		assertThat(job.statusCode()).isEqualTo(200);
		assertThat(job.body()).contains("A quantity cannot be negative", "&quot;workflow_name&quot;", "Timeline");
		assertThat(get("/ergate/workflows", "viewer").body()).contains("handle_large", "classify");
		assertThat(get("/ergate/api/jobs?status=FAILED", "viewer").body()).contains(failed);
		assertThat(get("/ergate/api/overview", "viewer").body()).contains("\"FAILED\"");
		assertThat(get("/ergate/assets/dashboard.css", null).statusCode()).isEqualTo(200);
		assertThat(get("/ergate/jobs/no-such-job", "viewer").statusCode()).isEqualTo(404);
	}

	@Test
	void withoutTheRolesNothingIsShown() throws Exception {
		assertThat(get("/ergate", null).statusCode()).isEqualTo(401);
		assertThat(get("/ergate", "nobody").statusCode()).isEqualTo(403);
		assertThat(get("/ergate/login", null).statusCode()).isEqualTo(200);
	}

	@Test
	void aViewerCannotActAndAnActionWithoutCsrfIsRefused() throws Exception {
		String failed = this.client.submit("orders", -1, null);
		Job job = this.client.await(failed, Duration.ofSeconds(10));
		assertThat(job.status()).isEqualTo(JobStatus.FAILED);
		assertThat(post("/ergate/jobs/" + failed + "/delete", "viewer", "confirmed=true").statusCode()).isEqualTo(403);
		assertThat(post("/ergate/jobs/" + failed + "/delete", "operator", "confirmed=true").statusCode())
			.isEqualTo(403);
		assertThat(this.client.status(failed)).isPresent();
	}

}
