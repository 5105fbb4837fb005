package io.ergate;

import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes a {@link Job} in the original snake_case wire format, every attribute included.
 */
final class JobJsonSerializer extends ValueSerializer<Job> {

	@Override
	public void serialize(Job job, JsonGenerator gen, SerializationContext ctxt) {
		gen.writeStartObject(job);
		gen.writePOJOProperty("id", job.id());
		gen.writeStringProperty("workflow_name", job.workflowName());
		gen.writeStringProperty("step_name", job.stepName());
		gen.writeStringProperty("status", job.status().name());
		gen.writeNumberProperty("steps_completed", job.stepsCompleted());
		gen.writeNumberProperty("percent_completed", job.percentCompleted());
		gen.writePOJOProperty("initial_input_value", job.initialInputValue());
		gen.writePOJOProperty("last_return_value", job.lastReturnValue());
		gen.writeStringProperty("exception_traceback", job.exceptionTraceback());
		gen.writePOJOProperty("user_context", job.userContext());
		gen.writeStringProperty("requested_start_time",
				(job.requestedStartTime() != null) ? job.requestedStartTime().toString() : null);
		if (!job.metadata().isEmpty()) {
			gen.writeName("metadata");
			gen.writeStartObject();
			for (Map.Entry<String, String> entry : job.metadata().entrySet()) {
				gen.writeStringProperty(entry.getKey(), entry.getValue());
			}
			gen.writeEndObject();
		}
		gen.writeEndObject();
	}

}
