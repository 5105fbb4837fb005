package io.ergate.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.ergate.docs.MarkdownSnippets.Snippet;

/**
 * Turns the Java snippets of one README into the source files of one package, as a reader pasting
 * them into a project would: the usual imports, each type declared in a snippet as a type, methods
 * in a class, statements in a method. What the README leaves to the reader comes from
 * {@code Givens}: variables the text says are at hand ({@code workflow}, {@code app}, ...) and
 * small stand-ins for the reader's own types ({@code PriceCatalog}, {@code MyBroker}, ...) that no
 * snippet declares. A {@code ...} placeholder is code the reader writes: {@code null} as a value,
 * nothing as a statement, a throw as a method body.
 */
final class JavaSnippetSources {

	private static final String IMPORTS = """
			import java.sql.*;
			import java.time.*;
			import java.util.*;
			import java.util.concurrent.*;
			import javax.sql.DataSource;
			import com.rabbitmq.client.ConnectionFactory;
			import io.ergate.*;
			import io.ergate.jdbc.*;
			import io.ergate.memory.*;
			import io.ergate.rabbitmq.*;
			import io.ergate.spring.*;
			import org.springframework.context.annotation.*;
			import org.springframework.jdbc.core.simple.JdbcClient;
			import org.springframework.stereotype.*;
			import tools.jackson.databind.json.JsonMapper;
			""";

	/** Variables a statement snippet may use without declaring them, and their types. */
	private static final String GIVENS = """
			abstract class Givens {
				protected Workflow workflow;
				protected Ergate app;
				protected ErgateClient ergate;
				protected String id;
				protected StateStore stateStore;
			}
			""";

	/** The reader's own types, by name: added when no snippet of the README declares them. */
	private static final Map<String, String> STAND_INS = new LinkedHashMap<>();

	static {
		STAND_INS.put("PriceCatalog", "class PriceCatalog { double price(String item) { return 1; } }");
		STAND_INS.put("TaxRateProvider", "class TaxRateProvider { public double provide() { return 0.1; } }");
		STAND_INS.put("OrderContext", "record OrderContext(String customer, String country, String currency) { }");
		STAND_INS.put("MyBroker", "class MyBroker { }");
		STAND_INS.put("MyBrokerJobQueue", """
				class MyBrokerJobQueue implements JobQueue {
					MyBrokerJobQueue(MyBroker broker) { }
					public Job getOne() { throw new UnsupportedOperationException(); }
					public void put(Job job) { }
				}""");
		STAND_INS.put("Settings", "record Settings(String url) { }");
	}

	private static final Pattern TYPE = Pattern
		.compile("^(public |protected |private |static |final |abstract |sealed )*(class|interface|record|enum)\\s.*",
				Pattern.DOTALL);

	private static final Pattern MEMBER = Pattern
		.compile("^(public |protected |private |static |final )*[\\w<>\\[\\]?, .]+\\s+\\w+\\s*\\(.*", Pattern.DOTALL);

	private static final Pattern ANNOTATIONS = Pattern.compile("^(\\s*@\\w+(\\([^)]*\\))?\\s*)+");

	private static final Pattern STATEMENT_KEYWORD = Pattern
		.compile("^(new|return|throw|try|if|for|while|do|switch|synchronized)\\b.*", Pattern.DOTALL);

	private JavaSnippetSources() {
	}

	/**
	 * Returns the source files for the snippets: file name to content.
	 * @param packageName the package of the files
	 * @param snippets the README's Java snippets
	 */
	static Map<String, String> sources(String packageName, List<Snippet> snippets) {
		Map<String, String> files = new LinkedHashMap<>();
		StringBuilder declared = new StringBuilder();
		int n = 0;
		for (Snippet snippet : snippets) {
			n++;
			List<String> imports = new ArrayList<>();
			StringBuilder types = new StringBuilder();
			StringBuilder members = new StringBuilder();
			StringBuilder statements = new StringBuilder();
			for (String chunk : chunks(fillPlaceholders(snippet.code()))) {
				String head = ANNOTATIONS.matcher(withoutComments(chunk).strip()).replaceFirst("").strip();
				if (head.isEmpty()) {
					statements.append(chunk);
				}
				else if (head.startsWith("import ")) {
					imports.add(chunk.strip());
				}
				else if (TYPE.matcher(head).matches()) {
					// top-level types of one file cannot all be public: the file name is not the type's
					types.append(chunk.replaceFirst("(?m)^public (final |abstract )?(class|interface|record|enum) ",
							"$1$2 "));
				}
				else if (MEMBER.matcher(head).matches() && !STATEMENT_KEYWORD.matcher(head).matches()
						&& head.substring(0, head.indexOf('(')).indexOf('=') < 0) {
					members.append(chunk);
				}
				else {
					statements.append(chunk);
				}
			}
			String name = "Snippet" + n;
			StringBuilder source = new StringBuilder();
			source.append("// ").append(snippet.where()).append('\n');
			source.append("package ").append(packageName).append(";\n\n").append(IMPORTS);
			imports.forEach((line) -> source.append(line).append('\n'));
			source.append('\n').append(types).append('\n');
			source.append("@SuppressWarnings(\"unused\")\nclass ").append(name).append(" extends Givens {\n\n");
			source.append(members).append('\n');
			source.append("void snippet() throws Exception {\n").append(statements).append("}\n\n}\n");
			files.put(name + ".java", source.toString());
			declared.append(types);
		}
		StringBuilder givens = new StringBuilder();
		givens.append("package ").append(packageName).append(";\n\n").append(IMPORTS).append('\n').append(GIVENS);
		STAND_INS.forEach((type, code) -> {
			if (!Pattern.compile("\\b(class|record|interface|enum) " + type + "\\b").matcher(declared).find()) {
				givens.append(code).append('\n');
			}
		});
		files.put("Givens.java", givens.toString());
		return files;
	}

	/**
	 * Splits a snippet into its top-level pieces: each ends with a {@code ;} or a {@code }} outside
	 * any bracket.
	 */
	static List<String> chunks(String code) {
		List<String> chunks = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		int depth = 0;
		for (String line : code.split("\n", -1)) {
			current.append(line).append('\n');
			String code1 = withoutComments(line);
			depth += depth(code1);
			String end = code1.strip();
			if (depth == 0 && (end.endsWith(";") || end.endsWith("}"))) {
				chunks.add(current.toString());
				current.setLength(0);
			}
		}
		if (!current.toString().isBlank()) {
			chunks.add(current.toString());
		}
		return chunks;
	}

	/** {@code ...} outside strings and comments: the code the reader writes there. */
	static String fillPlaceholders(String code) {
		StringBuilder out = new StringBuilder();
		for (String line : code.split("\n", -1)) {
			String code1 = withoutComments(line);
			if (code1.strip().equals("...")) {
				out.append("// ").append(line.strip()).append('\n');
				continue;
			}
			if (!code1.contains("...")) {
				out.append(line).append('\n');
				continue;
			}
			String comment = line.substring(code1.length());
			String filled = replaceOutsideStrings(code1, "{ ... }", "{ throw new UnsupportedOperationException(); }");
			filled = replaceOutsideStrings(filled, "...", "null");
			out.append(filled).append(comment).append('\n');
		}
		return out.toString();
	}

	private static String replaceOutsideStrings(String line, String target, String replacement) {
		StringBuilder out = new StringBuilder();
		boolean inString = false;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
				inString = !inString;
			}
			if (!inString && line.startsWith(target, i)) {
				out.append(replacement);
				i += target.length() - 1;
				continue;
			}
			out.append(c);
		}
		return out.toString();
	}

	/** The line without its {@code //} comment (one outside a string or character literal). */
	static String withoutComments(String text) {
		StringBuilder out = new StringBuilder();
		for (String line : text.split("\n", -1)) {
			if (out.length() > 0) {
				out.append('\n');
			}
			char quote = 0;
			int i = 0;
			for (; i < line.length(); i++) {
				char c = line.charAt(i);
				if (quote != 0) {
					if (c == '\\') {
						i++;
					}
					else if (c == quote) {
						quote = 0;
					}
				}
				else if (c == '"' || c == '\'') {
					quote = c;
				}
				else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
					break;
				}
			}
			out.append(line, 0, i);
		}
		return out.toString();
	}

	private static int depth(String code) {
		int depth = 0;
		char quote = 0;
		for (int i = 0; i < code.length(); i++) {
			char c = code.charAt(i);
			if (quote != 0) {
				if (c == '\\') {
					i++;
				}
				else if (c == quote) {
					quote = 0;
				}
			}
			else if (c == '"' || c == '\'') {
				quote = c;
			}
			else if (c == '{' || c == '(' || c == '[') {
				depth++;
			}
			else if (c == '}' || c == ')' || c == ']') {
				depth--;
			}
		}
		return depth;
	}

}
