package io.ergate.jdbc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where idle workers sleep: a version number bumped whenever the queue may have changed (a local
 * put, a {@code NOTIFY} from another process, a batch claimed). A worker reads the version before it
 * looks at the queue and sleeps only while it is unchanged, so no wake-up is lost.
 */
final class Signal {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private long version;

	long version() {
		this.lock.lock();
		try {
			return this.version;
		}
		finally {
			this.lock.unlock();
		}
	}

	void bump() {
		this.lock.lock();
		try {
			this.version++;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Sleeps until the version differs from {@code seen} or the timeout passes. */
	void await(long seen, long timeoutNanos) throws InterruptedException {
		long deadline = System.nanoTime() + timeoutNanos;
		this.lock.lockInterruptibly();
		try {
			while (this.version == seen) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return;
				}
				this.changed.awaitNanos(Math.min(left, TimeUnit.MINUTES.toNanos(1)));
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
