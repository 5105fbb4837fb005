package io.ergate.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fenced code blocks of a Markdown file: their language, their text and where they start.
 */
final class MarkdownSnippets {

	private MarkdownSnippets() {
	}

	static List<Snippet> read(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file);
		List<Snippet> snippets = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (!line.startsWith("```")) {
				continue;
			}
			String language = line.substring(3).strip();
			int start = i + 1;
			StringBuilder code = new StringBuilder();
			for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
				code.append(lines.get(i)).append('\n');
			}
			snippets.add(new Snippet(file, start, language, code.toString()));
		}
		return snippets;
	}

	/** One code block. */
	record Snippet(Path file, int line, String language, String code) {

		String where() {
			return this.file.getFileName() + " line " + this.line;
		}

	}

}
