package io.ergate.docs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Maven local repository of this test's own holding the reactor's published modules, built from
 * their poms and compiled classes (so it works after {@code mvn test} as after {@code mvn verify},
 * and never writes into the user's repository). A nested build reads everything else from the user's
 * repository, as its read-only tail.
 */
final class ScopedRepository {

	private ScopedRepository() {
	}

	/**
	 * Fills the repository.
	 * @param root the reactor's root directory
	 * @param repository the directory to fill
	 * @param version the reactor's version
	 * @param modules the published modules' directory names (their artifact ids)
	 */
	static void fill(Path root, Path repository, String version, List<String> modules) throws IOException {
		install(root.resolve("pom.xml"), null, repository, "ergate-parent", version);
		for (String module : modules) {
			Path pom = root.resolve(module).resolve("pom.xml");
			boolean jar = !Files.readString(pom).contains("<packaging>pom</packaging>");
			install(pom, jar ? root.resolve(module).resolve("target/classes") : null, repository, module, version);
		}
	}

	private static void install(Path pom, Path classes, Path repository, String artifactId, String version)
			throws IOException {
		Path directory = repository.resolve("io/ergate").resolve(artifactId).resolve(version);
		Files.createDirectories(directory);
		Files.copy(pom, directory.resolve(artifactId + "-" + version + ".pom"),
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		if (classes != null) {
			jar(classes, directory.resolve(artifactId + "-" + version + ".jar"));
		}
	}

	/** A jar of the compiled classes; empty for a module without any (the starter). */
	private static void jar(Path classes, Path jar) throws IOException {
		if (!Files.isDirectory(classes)) {
			new JarOutputStream(Files.newOutputStream(jar)).close();
			return;
		}
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
				Stream<Path> files = Files.walk(classes)) {
			for (Path file : (Iterable<Path>) files.sorted()::iterator) {
				String name = classes.relativize(file).toString().replace('\\', '/');
				if (name.isEmpty()) {
					continue;
				}
				if (Files.isDirectory(file)) {
					zip.putNextEntry(new JarEntry(name + "/"));
				}
				else {
					zip.putNextEntry(new JarEntry(name));
					Files.copy(file, zip);
				}
				zip.closeEntry();
			}
		}
	}

}
