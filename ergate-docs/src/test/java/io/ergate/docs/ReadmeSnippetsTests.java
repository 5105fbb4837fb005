package io.ergate.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.ergate.docs.MarkdownSnippets.Snippet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every README's snippets paste into a new project and build: a project importing
 * {@code io.ergate:ergate-bom}, with every {@code <dependency>} the READMEs show (without the
 * versions the BOM manages) and every Java snippet, is compiled by a nested Maven build against the
 * reactor's modules; every {@code ergate.*} key of a YAML snippet is a property the starter knows.
 */
class ReadmeSnippetsTests {

	private static final Pattern DEPENDENCY = Pattern.compile("<dependency>.*?</dependency>", Pattern.DOTALL);

	private static final Pattern DEPENDENCY_MANAGEMENT = Pattern
		.compile("<dependencyManagement>.*?</dependencyManagement>", Pattern.DOTALL);

	private final Path root = Path.of(System.getProperty("ergate.docs.root", "..")).toAbsolutePath().normalize();

	private final Path work = Path.of("target/readme-project").toAbsolutePath();

	@Test
	void theBomListsEveryPublishedModule() throws IOException {
		Set<String> inBom = new LinkedHashSet<>();
		Matcher artifact = Pattern.compile("<artifactId>(ergate-[\\w-]+)</artifactId>")
			.matcher(DEPENDENCY_MANAGEMENT.matcher(read(this.root.resolve("ergate-bom/pom.xml"))).results()
				.map(java.util.regex.MatchResult::group)
				.findFirst()
				.orElse(""));
		while (artifact.find()) {
			inBom.add(artifact.group(1));
		}
		assertThat(inBom).containsExactlyInAnyOrderElementsOf(publishedModules());
		assertThat(read(this.root.resolve("ergate-bom/pom.xml"))).contains("<version>" + version() + "</version>");
	}

	@Test
	void everySnippetOfEveryReadmePastesIntoANewProjectAndBuilds() throws Exception {
		List<Snippet> snippets = new ArrayList<>();
		for (Path readme : readmes()) {
			snippets.addAll(MarkdownSnippets.read(readme));
		}
		deleteRecursively(this.work);
		Path repository = this.work.resolve("repository");
		Path project = this.work.resolve("project");
		ScopedRepository.fill(this.root, repository, version(), publishedModules());
		installBom(repository);
		Files.createDirectories(project);
		Files.writeString(project.resolve("pom.xml"), pom(snippets));
		int files = 0;
		for (Path readme : readmes()) {
			List<Snippet> java = MarkdownSnippets.read(readme)
				.stream()
				.filter((snippet) -> snippet.language().equals("java"))
				.toList();
			if (java.isEmpty()) {
				continue;
			}
			String packageName = "snippets." + packageName(readme);
			Path directory = project.resolve("src/main/java").resolve(packageName.replace('.', '/'));
			Files.createDirectories(directory);
			for (Map.Entry<String, String> source : JavaSnippetSources.sources(packageName, java).entrySet()) {
				Files.writeString(directory.resolve(source.getKey()), source.getValue());
				files++;
			}
		}
		assertThat(files).as("Java snippets found").isGreaterThan(10);
		build(project, repository);
	}

	@Test
	void everyErgateKeyOfAYamlSnippetIsAKnownProperty() throws IOException {
		Set<String> known = new LinkedHashSet<>();
		Path metadata = this.root
			.resolve("ergate-spring-boot-autoconfigure/target/classes/META-INF/spring-configuration-metadata.json");
		for (JsonNode property : JsonMapper.shared().readTree(metadata.toFile()).get("properties")) {
			known.add(property.get("name").asString());
		}
		List<String> keys = new ArrayList<>();
		for (Path readme : readmes()) {
			for (Snippet snippet : MarkdownSnippets.read(readme)) {
				if (snippet.language().equals("yaml") || snippet.language().equals("yml")) {
					Object yaml = new Yaml().load(snippet.code());
					flatten("", yaml, keys);
				}
			}
		}
		assertThat(keys).filteredOn((key) -> key.startsWith("ergate.")).isNotEmpty().allSatisfy((key) ->
				assertThat(known).as("properties of the starter").contains(key));
	}

	private void build(Path project, Path repository) throws Exception {
		List<String> command = new ArrayList<>();
		boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
		command.add(this.root.resolve(windows ? "mvnw.cmd" : "mvnw").toString());
		command.addAll(List.of("-B", "-q", "-f", project.resolve("pom.xml").toString(), "compile",
				"-Dmaven.repo.local=" + repository, "-Dmaven.repo.local.tail=" + userRepository()));
		if (String.valueOf(System.getProperty("ergate.docs.offline")).endsWith("=true")) {
			command.add("-o");
		}
		Path log = this.work.resolve("build.log");
		ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		builder.environment().remove("MAVEN_ARGS");
		Process process = builder.start();
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError("The snippets' build took more than 5 minutes; see " + log);
		}
		assertThat(process.exitValue())
			.as("the README snippets' build (%s) failed:%n%s", project, Files.readString(log))
			.isZero();
	}

	private String pom(List<Snippet> snippets) throws IOException {
		Map<String, String> managed = new LinkedHashMap<>();
		Map<String, String> dependencies = new LinkedHashMap<>();
		for (Snippet snippet : snippets) {
			if (!snippet.language().equals("xml")) {
				continue;
			}
			String xml = snippet.code();
			Matcher management = DEPENDENCY_MANAGEMENT.matcher(xml);
			while (management.find()) {
				collect(management.group(), managed);
			}
			collect(DEPENDENCY_MANAGEMENT.matcher(xml).replaceAll(""), dependencies);
		}
		assertThat(managed.keySet()).as("the BOM import shown in a README").contains("io.ergate:ergate-bom");
		String bootVersion = property(read(this.root.resolve("pom.xml")), "spring-boot.version");
		return """
				<?xml version="1.0" encoding="UTF-8"?>
				<!-- A new Spring Boot project, made of the READMEs' snippets by ReadmeSnippetsTests. -->
				<project xmlns="http://maven.apache.org/POM/4.0.0">
				  <modelVersion>4.0.0</modelVersion>
				  <groupId>com.example</groupId>
				  <artifactId>readme-snippets</artifactId>
				  <version>1</version>
				  <properties>
				    <maven.compiler.release>17</maven.compiler.release>
				    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
				  </properties>
				  <dependencyManagement>
				    <dependencies>
				%s
				      <!-- what spring-boot-starter-parent would bring -->
				      <dependency>
				        <groupId>org.springframework.boot</groupId>
				        <artifactId>spring-boot-dependencies</artifactId>
				        <version>%s</version>
				        <type>pom</type>
				        <scope>import</scope>
				      </dependency>
				    </dependencies>
				  </dependencyManagement>
				  <dependencies>
				%s
				      <!-- JdbcClient, in the README's own StateStore: what spring-boot-starter-jdbc would bring -->
				      <dependency>
				        <groupId>org.springframework</groupId>
				        <artifactId>spring-jdbc</artifactId>
				      </dependency>
				  </dependencies>
				  <build>
				    <plugins>
				      <plugin>
				        <groupId>org.apache.maven.plugins</groupId>
				        <artifactId>maven-compiler-plugin</artifactId>
				        <version>3.14.0</version>
				        <configuration>
				          <parameters>true</parameters>
				        </configuration>
				      </plugin>
				      <plugin>
				        <groupId>org.apache.maven.plugins</groupId>
				        <artifactId>maven-resources-plugin</artifactId>
				        <version>3.3.1</version>
				      </plugin>
				    </plugins>
				  </build>
				</project>
				""".formatted(String.join("\n", managed.values()), bootVersion, String.join("\n", dependencies.values()));
	}

	private static void collect(String xml, Map<String, String> into) {
		Matcher dependency = DEPENDENCY.matcher(xml);
		while (dependency.find()) {
			String text = dependency.group();
			String key = tag(text, "groupId") + ":" + tag(text, "artifactId");
			into.putIfAbsent(key, text);
		}
	}

	private void installBom(Path repository) throws IOException {
		Path directory = repository.resolve("io/ergate/ergate-bom").resolve(version());
		Files.createDirectories(directory);
		Files.copy(this.root.resolve("ergate-bom/pom.xml"), directory.resolve("ergate-bom-" + version() + ".pom"));
	}

	/** The reactor's modules that are published: all but those that skip deployment, and the BOM itself. */
	private List<String> publishedModules() throws IOException {
		List<String> modules = new ArrayList<>();
		Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(read(this.root.resolve("pom.xml")));
		while (module.find()) {
			String name = module.group(1);
			String pom = read(this.root.resolve(name).resolve("pom.xml"));
			if (!name.equals("ergate-bom") && !pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")) {
				modules.add(name);
			}
		}
		return modules;
	}

	private List<Path> readmes() throws IOException {
		List<Path> readmes = new ArrayList<>();
		readmes.add(this.root.resolve("README.md"));
		try (Stream<Path> children = Files.list(this.root)) {
			children.filter((child) -> Files.isRegularFile(child.resolve("README.md")))
				.sorted()
				.forEach((child) -> readmes.add(child.resolve("README.md")));
		}
		return readmes;
	}

	private String packageName(Path readme) {
		Path directory = this.root.relativize(readme.getParent());
		String name = directory.toString().isEmpty() ? "root" : directory.toString();
		return name.replace("ergate-", "").replaceAll("[^A-Za-z0-9]", "_");
	}

	private String version() throws IOException {
		Matcher version = Pattern.compile("<artifactId>ergate-parent</artifactId>\\s*<version>([^<]+)</version>")
			.matcher(read(this.root.resolve("pom.xml")));
		assertThat(version.find()).isTrue();
		return version.group(1);
	}

	private static String userRepository() {
		String configured = System.getProperty("ergate.docs.localRepository");
		return (configured != null && !configured.isBlank() && !configured.startsWith("${")) ? configured
				: Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
	}

	@SuppressWarnings("unchecked")
	private static void flatten(String prefix, Object yaml, List<String> keys) {
		if (yaml instanceof Map<?, ?> map) {
			((Map<Object, Object>) map).forEach((key, value) -> flatten(
					prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value, keys));
		}
		else {
			keys.add(prefix);
		}
	}

	private static String tag(String xml, String name) {
		Matcher matcher = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
		return matcher.find() ? matcher.group(1).strip() : "";
	}

	private static String property(String pom, String name) {
		return tag(pom, name.replace(".", "\\."));
	}

	private static String read(Path file) throws IOException {
		return Files.readString(file, StandardCharsets.UTF_8);
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
				Files.delete(file);
			}
		}
	}

}
