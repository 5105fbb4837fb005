package io.ergate.jdbc;

import tools.jackson.databind.json.JsonMapper;

/** The text a job id is keyed by in the tables. */
final class JobKeys {

	static final int MAX_LENGTH = 255;

	private JobKeys() {
	}

	static String key(JsonMapper mapper, Object id) {
		String key = (id instanceof String text) ? text : mapper.writeValueAsString(id);
		if (key.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("Job id " + key.substring(0, 40) + "... is " + key.length()
					+ " characters long: ergate-jdbc keys jobs by ids of at most " + MAX_LENGTH + " characters");
		}
		return key;
	}

}
