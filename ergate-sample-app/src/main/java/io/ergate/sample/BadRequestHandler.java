package io.ergate.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ergate.JobValidationException;
import io.ergate.UnknownWorkflowException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns bad job submissions into 400 responses with an RFC 9457 problem body whose
 * {@code violations} name each bad field: {@code [{"field": ..., "value": ..., "problem": ...}]}.
 * As a {@link ResponseEntityExceptionHandler}, it also answers Spring MVC's own errors (415 for a
 * body that is not JSON, 405 for a method a path does not take, 404 for an unknown path, ...) with
 * problem bodies.
 */
@RestControllerAdvice
class BadRequestHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler(UnknownWorkflowException.class)
	ProblemDetail unknownWorkflow(UnknownWorkflowException ex) {
		return problem("Unknown workflow", ex.getMessage(),
				List.of(violation("workflow_name", '"' + ex.workflowName() + '"', ex.getMessage())));
	}

	@ExceptionHandler(JobValidationException.class)
	ProblemDetail invalidJob(JobValidationException ex) {
		return invalid(ex);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(unreadable(ex));
	}

	private static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof JobValidationException invalid) {
				return invalid(invalid);
			}
		}
		Throwable cause = ex.getMostSpecificCause();
		String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
		String problem = (ex.getCause() == null)
				? "is required: a JSON job such as {\"workflow_name\": \"my_first_workflow\"}"
				: "is not valid JSON: " + message;
		String title = (ex.getCause() == null) ? "Missing request body" : "Malformed JSON";
		return problem(title, "The request body " + problem, List.of(violation("body", null, problem)));
	}

	private static ProblemDetail invalid(JobValidationException ex) {
		return problem("Invalid job", ex.getMessage(), ex.violations()
			.stream()
			.map((violation) -> violation(violation.field(), violation.value(), violation.problem()))
			.toList());
	}

	private static ProblemDetail problem(String title, String detail, List<Map<String, @Nullable Object>> violations) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle(title);
		problem.setProperty("violations", violations);
		return problem;
	}

	private static Map<String, @Nullable Object> violation(String field, @Nullable Object value, String problem) {
		Map<String, @Nullable Object> violation = new LinkedHashMap<>();
		violation.put("field", field);
		violation.put("value", value);
		violation.put("problem", problem);
		return violation;
	}

}
