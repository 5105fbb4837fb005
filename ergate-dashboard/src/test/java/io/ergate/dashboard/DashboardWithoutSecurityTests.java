package io.ergate.dashboard;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.dashboard.app.PlainTestApplication;
import io.ergate.spring.ErgateClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in an application without Spring Security (hidden from its class loader): off unless
 * {@code ergate.dashboard.enabled=true}, then read-only unless {@code ergate.dashboard.actions-enabled=true},
 * and then each action needs the token the dashboard put in its page.
 */
class DashboardWithoutSecurityTests {

	private static ConfigurableApplicationContext run(String... properties) {
		SpringApplication application = new SpringApplication(PlainTestApplication.class);
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader("org.springframework.security")));
		String[] args = new String[properties.length + 1];
		args[0] = "--server.port=0";
		for (int i = 0; i < properties.length; i++) {
			args[i + 1] = "--" + properties[i];
		}
		return application.run(args);
	}

	private static String base(ConfigurableApplicationContext context) {
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest post(String url, String form) {
		return HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
	}

	@Test
	void isOffUnlessEnabled() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			assertThat(context.getBeanNamesForType(DashboardViews.class)).isEmpty();
			HttpResponse<String> page = send(HttpClient.newHttpClient(),
					HttpRequest.newBuilder(URI.create(base(context) + "/ergate")).build());
			assertThat(page.statusCode()).isEqualTo(404);
		}
	}

	@Test
	void enabledItIsReadOnly() throws Exception {
		try (ConfigurableApplicationContext context = run("ergate.dashboard.enabled=true")) {
			ErgateClient client = context.getBean(ErgateClient.class);
			Job failed = client.await(client.submit("orders", -1, null), Duration.ofSeconds(10));
			HttpClient http = HttpClient.newHttpClient();
			HttpResponse<String> page = send(http,
					HttpRequest.newBuilder(URI.create(base(context) + "/ergate/jobs/" + failed.id())).build());
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("A quantity cannot be negative").doesNotContain("action-retry");
			HttpResponse<String> retry = send(http,
					post(base(context) + "/ergate/jobs/" + failed.id() + "/retry", "confirmed=true"));
			assertThat(retry.statusCode()).isEqualTo(403);
			assertThat(retry.body()).contains("ergate.dashboard.actions-enabled");
			assertThat(client.status(failed.id())).map(Job::status).contains(JobStatus.FAILED);
		}
	}

	@Test
	void withActionsEnabledAnActionNeedsTheDashboardsToken() throws Exception {
		try (ConfigurableApplicationContext context = run("ergate.dashboard.enabled=true",
				"ergate.dashboard.actions-enabled=true", "ergate.dashboard.path=/ops/jobs-dashboard")) {
			ErgateClient client = context.getBean(ErgateClient.class);
			Job failed = client.await(client.submit("orders", -1, null), Duration.ofSeconds(10));
			String base = base(context) + "/ops/jobs-dashboard";
			HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
			HttpResponse<String> confirm = send(http,
					HttpRequest.newBuilder(URI.create(base + "/jobs/" + failed.id() + "/delete")).build());
			assertThat(confirm.statusCode()).isEqualTo(200);
			Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(confirm.body());
			assertThat(token.find()).as("the token in the confirmation form").isTrue();
			String url = base + "/jobs/" + failed.id() + "/delete";
			assertThat(send(http, post(url, "confirmed=true")).statusCode()).as("without the token").isEqualTo(403);
			assertThat(send(http, post(url, "confirmed=true&_csrf=forged")).statusCode()).as("with another token")
				.isEqualTo(403);
			assertThat(send(HttpClient.newHttpClient(), post(url, "confirmed=true&_csrf=" + token.group(1)))
				.statusCode()).as("the token without its session").isEqualTo(403);
			assertThat(client.status(failed.id())).isPresent();
			HttpResponse<String> deleted = send(http, post(url, "confirmed=true&_csrf=" + token.group(1)));
			assertThat(deleted.statusCode()).isEqualTo(302);
			assertThat(client.status(failed.id())).isEmpty();
		}
	}

}
