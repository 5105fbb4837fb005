package io.ergate.interop;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the Python half of the test, {@code docs/python/interop_check.py}, with the machine's
 * {@code python3} (or {@code ERGATE_PYTHON}), which must have pydantic 2: without it the tests fail
 * saying so, they never pass silently.
 */
final class Python {

	private static final JsonMapper json = JsonMapper.shared();

	private static volatile boolean checked;

	private Python() {
	}

	static String executable() {
		String configured = System.getenv("ERGATE_PYTHON");
		return (configured != null && !configured.isBlank()) ? configured : "python3";
	}

	static Path kit() {
		Path dir = Path.of(System.getProperty("ergate.python.dir", "../docs/python"));
		if (!Files.isRegularFile(dir.resolve("interop_check.py"))) {
			throw new IllegalStateException("The Python kit is missing: no interop_check.py in " + dir.toAbsolutePath());
		}
		return dir;
	}

	/** Fails with the fix when python3 or pydantic 2 is not there. */
	static synchronized void requirePydantic2() {
		if (checked) {
			return;
		}
		String output;
		try {
			output = run(List.of(executable(), "-c", "import pydantic; print(pydantic.VERSION)"), "");
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException("These tests run a Python program with pydantic 2, and " + executable()
					+ " could not import pydantic: " + ex.getMessage() + ". Install Python 3.10+ with pydantic 2 "
					+ "(pip install 'pydantic>=2'), or point ERGATE_PYTHON at such an interpreter.", ex);
		}
		if (!output.trim().startsWith("2.")) {
			throw new IllegalStateException("These tests need pydantic 2, and " + executable() + " has pydantic "
					+ output.trim() + ". Install pydantic 2 or point ERGATE_PYTHON at an interpreter that has it.");
		}
		checked = true;
	}

	/** The jobs a Python producer writes: one per case, with its message and its queue-table statements. */
	static List<JsonNode> produce(String workflow, String tablePrefix) {
		requirePydantic2();
		List<JsonNode> lines = new ArrayList<>();
		String output = run(List.of(executable(), "interop_check.py", "produce", workflow, tablePrefix), "");
		for (String line : output.split("\n")) {
			if (!line.isBlank()) {
				lines.add(json.readTree(line));
			}
		}
		return lines;
	}

	/** What the Python model made of each input ({"kind": "message"|"row", "value": ...}), one result each. */
	static List<JsonNode> validate(List<JsonNode> inputs) {
		requirePydantic2();
		StringBuilder stdin = new StringBuilder();
		for (JsonNode input : inputs) {
			stdin.append(json.writeValueAsString(input)).append('\n');
		}
		List<JsonNode> results = new ArrayList<>();
		String output = runAllowingFailure(List.of(executable(), "interop_check.py", "validate"), stdin.toString());
		for (String line : output.split("\n")) {
			if (!line.isBlank()) {
				results.add(json.readTree(line));
			}
		}
		if (results.size() != inputs.size()) {
			throw new IllegalStateException("interop_check.py validate answered " + results.size() + " lines for "
					+ inputs.size() + " inputs:\n" + output);
		}
		return results;
	}

	private static String run(List<String> command, String stdin) {
		return exec(command, stdin, false);
	}

	private static String runAllowingFailure(List<String> command, String stdin) {
		return exec(command, stdin, true);
	}

	private static String exec(List<String> command, String stdin, boolean anyExitCode) {
		try {
			File errors = File.createTempFile("ergate-python-", ".err");
			try {
				Process process = new ProcessBuilder(command).directory(kit().toFile())
					.redirectError(errors)
					.start();
				process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
				process.getOutputStream().close();
				String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
				}
				int code = process.exitValue();
				if (code != 0 && !(anyExitCode && code == 1)) {
					throw new IllegalStateException(String.join(" ", command) + " exited with " + code + ": "
							+ Files.readString(errors.toPath()).trim());
				}
				return output;
			}
			finally {
				Files.deleteIfExists(errors.toPath());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + String.join(" ", command) + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + String.join(" ", command), ex);
		}
	}

}
