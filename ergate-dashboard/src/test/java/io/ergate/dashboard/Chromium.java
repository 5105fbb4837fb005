package io.ergate.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium for the browser tests, driven through the system's chromedriver. When either
 * is missing the tests fail on CI ({@code CI=true}) and are skipped elsewhere, naming the command that
 * installs them.
 */
final class Chromium {

	static final Path BROWSER = Path.of("/usr/bin/chromium");

	static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	private static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver";

	private Chromium() {
	}

	static ChromeDriver start() throws IOException {
		if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
			String message = "The browser tests need Chromium and its driver (" + BROWSER + ", " + DRIVER
					+ "), which are not installed: run `" + INSTALL + "` (as root)";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException(message + "; .ci/run installs them on a machine with apt-get");
			}
			Assumptions.abort(message);
		}
		Path profile = Files.createTempDirectory("ergate-dashboard-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
				"--user-data-dir=" + profile, "--window-size=1360,1100", "--force-device-scale-factor=1");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		driver.manage().window().setSize(new Dimension(1360, 1100));
		return driver;
	}

	/**
	 * Saves a screenshot of the whole page under {@code target/screenshots}.
	 * @param driver the browser
	 * @param name the file's name, without {@code .png}
	 * @return the file
	 */
	static Path screenshot(ChromeDriver driver, String name) throws IOException {
		Object height = driver.executeScript("return Math.max(document.documentElement.scrollHeight, 700)");
		int pageHeight = (int) Math.min(4000, ((Number) height).longValue());
		driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", 1360, "height", pageHeight, "deviceScaleFactor", 1, "mobile", false));
		Path directory = Path.of("target/screenshots");
		Files.createDirectories(directory);
		Path file = directory.resolve(name + ".png");
		Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
		driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
		return file;
	}

}
