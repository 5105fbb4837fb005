package io.ergate;

/**
 * How many jobs one worker loop has handled: written by that loop's thread after every step, read by
 * the others only when a job fails. Padded to a cache line of its own on each side, so that the
 * loops' per-step writes never contend.
 */
final class HandledCount extends HandledCountValue {

	@SuppressWarnings("unused")
	private long q1, q2, q3, q4, q5, q6, q7;

	/** Counts one more job; only the owning loop's thread calls it. */
	void increment() {
		VALUE.setRelease(this, this.value + 1);
	}

	long get() {
		return (long) VALUE.getAcquire(this);
	}

}

/** The padding before the value. */
abstract class HandledCountPadding {

	@SuppressWarnings("unused")
	private long p1, p2, p3, p4, p5, p6, p7;

}

/** The value, between its paddings. */
abstract class HandledCountValue extends HandledCountPadding {

	static final java.lang.invoke.VarHandle VALUE;

	static {
		try {
			VALUE = java.lang.invoke.MethodHandles.lookup().findVarHandle(HandledCountValue.class, "value", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	long value;

}
