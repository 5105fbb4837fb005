package io.ergate.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.QueryableStateStore;
import io.ergate.StateStore;
import io.ergate.dashboard.app.DashboardTestApplication;
import io.ergate.dashboard.app.TestWorkflows;
import io.ergate.spring.ErgateClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium, under Spring Security, on an application with the
 * in-memory queue and store: what each page shows, the live refresh, the actions, and what a viewer
 * may not do. Each page's screenshot is saved under {@code target/screenshots}.
 */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardBrowserTests {

	private static ChromeDriver browser;

	@LocalServerPort
	int port;

	@Autowired
	ErgateClient client;

	@Autowired
	StateStore store;

	@BeforeAll
	static void startBrowser() throws Exception {
		browser = Chromium.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@BeforeEach
	void signOut() {
		browser.get(url("/ergate/login"));
		browser.manage().deleteAllCookies();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private void signIn(String user) {
		browser.manage().deleteAllCookies();
		browser.get(url("/ergate/login"));
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(user);
		browser.findElement(By.id("sign-in")).click();
		await().until(() -> !browser.getCurrentUrl().contains("/login"));
	}

	private Job finished(String workflow, Object input) throws Exception {
		String id = this.client.submit(workflow, input, null);
		return this.client.await(id, Duration.ofSeconds(10));
	}

	private QueryableStateStore queryable() {
		return (QueryableStateStore) this.store;
	}

	@Test
	void theOverviewShowsTheCounts() throws Exception {
		finished("orders", 3);
		finished("orders", -1);
		finished("branching", 7);
		finished("branching", 150);
		finished("branching", -5);
		signIn("viewer");
		browser.get(url("/ergate"));
		long failed = queryable().countByStatus().getOrDefault(JobStatus.FAILED, 0L);
		assertThat(browser.findElement(By.cssSelector("[data-count=FAILED]")).getText()).isEqualTo(String.valueOf(failed));
		long total = queryable().countByStatus().values().stream().mapToLong(Long::longValue).sum();
		assertThat(browser.findElement(By.cssSelector("[data-field=total]")).getText()).isEqualTo(String.valueOf(total));
		assertThat(browser.findElements(By.cssSelector("svg.chart rect.status-completed"))).isNotEmpty();
		assertThat(browser.findElements(By.cssSelector("polyline.series-completed"))).hasSize(1);
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("Workers", "RUNNING", "orders",
				"branching");
		// the figures refresh without a reload
		browser.executeScript("window.notReloaded = true");
		finished("orders", 4);
		long completed = queryable().countByStatus().get(JobStatus.COMPLETED);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
				browser.findElement(By.cssSelector("[data-field=total]")).getText()).isEqualTo(String.valueOf(total + 1)));
		assertThat(browser.executeScript("return window.notReloaded === true")).isEqualTo(true);
		assertThat(completed).isPositive();
		Chromium.screenshot(browser, "overview");
	}

	@Test
	void aFilterNarrowsTheListAndNewJobsAppearWithoutAReload() throws Exception {
		Job failedOrder = finished("orders", -2);
		Job completedOrder = finished("orders", 2);
		Job branch = finished("branching", 9);
		signIn("viewer");
		browser.get(url("/ergate/jobs"));
		assertThat(rowIds()).contains(String.valueOf(failedOrder.id()), String.valueOf(completedOrder.id()),
				String.valueOf(branch.id()));
		new Select(browser.findElement(By.id("filter-workflow"))).selectByValue("orders");
		new Select(browser.findElement(By.id("filter-status"))).selectByValue("FAILED");
		browser.findElement(By.id("filter-apply")).click();
		await().until(() -> browser.getCurrentUrl().contains("status=FAILED"));
		assertThat(rowIds()).contains(String.valueOf(failedOrder.id()))
			.doesNotContain(String.valueOf(completedOrder.id()), String.valueOf(branch.id()));
		assertThat(browser.findElements(By.cssSelector("#jobs tbody .badge"))).extracting(WebElement::getText)
			.containsOnly("FAILED");
		// a job that fails now shows up in the filtered list by itself
		browser.executeScript("window.notReloaded = true");
		Job newlyFailed = finished("orders", -3);
		await().atMost(Duration.ofSeconds(10)).until(() -> rowIds().contains(String.valueOf(newlyFailed.id())));
		assertThat(browser.executeScript("return window.notReloaded === true")).isEqualTo(true);
		// search by id
		browser.get(url("/ergate/jobs?id=" + branch.id()));
		assertThat(rowIds()).containsExactly(String.valueOf(branch.id()));
		browser.get(url("/ergate/jobs"));
		Chromium.screenshot(browser, "jobs");
	}

	@SuppressWarnings("unchecked")
	private List<String> rowIds() {
		// read in one script: the rows are replaced every refresh
		return (List<String>) browser.executeScript(
				"return Array.from(document.querySelectorAll('#jobs tbody tr[data-id]')).map(r => r.dataset.id)");
	}

	@Test
	void aJobsPageShowsItsProgressTracebackAndTimeline() throws Exception {
		Job failed = finished("orders", -7);
		signIn("viewer");
		browser.get(url("/ergate/jobs/" + failed.id()));
		assertThat(browser.findElement(By.id("job-status")).getText()).isEqualTo("FAILED");
		assertThat(browser.findElement(By.cssSelector("#job-progress > span")).getAttribute("style")).contains("width");
		assertThat(browser.findElement(By.id("traceback")).getText()).contains("IllegalArgumentException",
				"A quantity cannot be negative: -7");
		assertThat(browser.findElements(By.cssSelector("#timeline tr.transition"))).extracting(WebElement::getText)
			.hasSizeGreaterThanOrEqualTo(3)
			.anySatisfy((row) -> assertThat(row).startsWith("QUEUED"))
			.anySatisfy((row) -> assertThat(row).startsWith("RUNNING"))
			.anySatisfy((row) -> assertThat(row).startsWith("FAILED"));
		assertThat(browser.findElement(By.id("job-json")).getText()).contains("\"workflow_name\" : \"orders\"",
				"\"exception_traceback\"");
		assertThat(browser.findElements(By.id("action-retry"))).as("a viewer's page has no actions").isEmpty();
		Chromium.screenshot(browser, "job");
		browser.get(url("/ergate/workflows"));
		assertThat(browser.findElements(By.cssSelector("section[data-workflow=branching] g.step"))).hasSize(4);
		assertThat(browser.findElements(By.cssSelector("section[data-workflow=branching] path.edge-goto"))).hasSize(1);
		assertThat(browser.findElements(By.cssSelector("section[data-workflow=branching] path.edge-end"))).hasSize(1);
		Chromium.screenshot(browser, "workflows");
	}

	@Test
	void anOperatorRetriesCancelsAndDeletes() throws Exception {
		TestWorkflows.healthy.set(false);
		Job failed = finished("flaky", 1);
		assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
		TestWorkflows.healthy.set(true);
		signIn("operator");
		browser.get(url("/ergate/jobs/" + failed.id()));
		browser.findElement(By.id("action-retry")).click();
		assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Retry job");
		Chromium.screenshot(browser, "confirm");
		browser.findElement(By.id("confirm")).click();
		assertThat(browser.findElement(By.id("message")).getText()).contains("queued again");
		assertThat(this.client.await(failed.id(), Duration.ofSeconds(10)).status()).isEqualTo(JobStatus.COMPLETED);

		Job scheduled = this.client.submit(Job.builder("orders").initialInputValue(1)
			.requestedStartTime(Instant.now().plus(Duration.ofHours(1))).build()) instanceof String id
				? this.client.status(id).orElseThrow() : null;
		assertThat(scheduled).isNotNull();
		browser.get(url("/ergate/jobs/" + scheduled.id()));
		browser.findElement(By.id("action-cancel")).click();
		browser.findElement(By.id("confirm")).click();
		assertThat(browser.findElement(By.id("message")).getText()).contains("is cancelled");
		assertThat(this.client.status(scheduled.id())).map(Job::status).contains(JobStatus.CANCELLED);
		assertThat(browser.findElement(By.id("job-status")).getText()).isEqualTo("CANCELLED");

		browser.findElement(By.id("action-delete")).click();
		browser.findElement(By.id("confirm")).click();
		assertThat(browser.findElement(By.id("message")).getText()).contains("is deleted");
		assertThat(this.client.status(scheduled.id())).isEmpty();
	}

	@Test
	void anOperatorRetriesEveryFailedJobOfAWorkflow() throws Exception {
		TestWorkflows.healthy.set(false);
		Job first = finished("flaky", 1);
		Job second = finished("flaky", 2);
		TestWorkflows.healthy.set(true);
		signIn("operator");
		browser.get(url("/ergate/workflows"));
		browser.findElement(By.cssSelector("section[data-workflow=flaky] a[href$='/retry-failed']")).click();
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("FAILED jobs are queued again");
		browser.findElement(By.id("confirm")).click();
		assertThat(browser.findElement(By.tagName("main")).getText()).as("the page after the bulk retry")
			.containsPattern("\\d+ failed jobs? of flaky (is|are) queued again");
		assertThat(this.client.await(first.id(), Duration.ofSeconds(10)).status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(this.client.await(second.id(), Duration.ofSeconds(10)).status()).isEqualTo(JobStatus.COMPLETED);
	}

	@Test
	void aViewerCannotAct() throws Exception {
		Job failed = finished("orders", -9);
		signIn("viewer");
		browser.get(url("/ergate/jobs/" + failed.id()));
		assertThat(browser.findElements(By.cssSelector(".actions a, .actions button"))).isEmpty();
		browser.get(url("/ergate/jobs/" + failed.id() + "/retry"));
		assertThat(browser.findElement(By.tagName("body")).getText()).contains("403");
		browser.get(url("/ergate/jobs/" + failed.id()));
		Object status = browser.executeAsyncScript("var done = arguments[arguments.length - 1];"
				+ "fetch(location.pathname + '/delete', {method: 'POST', headers: {'Content-Type': "
				+ "'application/x-www-form-urlencoded'}, body: 'confirmed=true'}).then(r => done(r.status));");
		assertThat(status).isEqualTo(403L);
		assertThat(this.client.status(failed.id())).isPresent();
		browser.manage().deleteAllCookies();
		browser.get(url("/ergate/login"));
		Chromium.screenshot(browser, "login");
	}

}
