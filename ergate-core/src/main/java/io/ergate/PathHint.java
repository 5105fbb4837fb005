package io.ergate;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One exit a step may take: on to the next step, a jump to a later step, or the end of the job.
 * A step's hints let the engine compute {@code percent_completed} exactly: the total is the longest
 * path the job can still take.
 */
public final class PathHint implements StepOption {

	private static final PathHint NEXT = new PathHint(Kind.NEXT, null);

	private static final PathHint END = new PathHint(Kind.END, null);

	private final Kind kind;

	private final @Nullable String target;

	private PathHint(Kind kind, @Nullable String target) {
		this.kind = kind;
		this.target = target;
	}

	/**
	 * The step may return normally, going on to the next step.
	 * @return the hint
	 */
	public static PathHint next() {
		return NEXT;
	}

	/**
	 * The step may throw {@link GoToStep} to the named, later step.
	 * @param stepName the step it may jump to
	 * @return the hint
	 */
	public static PathHint goTo(String stepName) {
		return new PathHint(Kind.GO_TO, Objects.requireNonNull(stepName, "stepName"));
	}

	/**
	 * The step may throw {@link GoToEnd}, completing the job.
	 * @return the hint
	 */
	public static PathHint end() {
		return END;
	}

	/**
	 * Returns the kind of exit.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * Returns the step a {@link Kind#GO_TO} hint jumps to.
	 * @return the step name, {@code null} for other kinds
	 */
	public @Nullable String target() {
		return this.target;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof PathHint hint) && this.kind == hint.kind && Objects.equals(this.target, hint.target);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.kind, this.target);
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case NEXT -> "next";
			case END -> "end";
			case GO_TO -> "goTo(" + this.target + ")";
		};
	}

	/**
	 * The kinds of exit.
	 */
	public enum Kind {

		/** On to the next step in order. */
		NEXT,

		/** A jump to a later step. */
		GO_TO,

		/** The end of the job. */
		END

	}

}
