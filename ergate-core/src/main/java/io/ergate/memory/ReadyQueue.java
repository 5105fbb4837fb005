package io.ergate.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The due jobs of an {@link InMemoryJobQueue}: an unbounded first-in first-out queue for any number of
 * producers and consumers, without a node per element.
 * <p>
 * Elements live in arrays of {@value #CHUNK} slots linked one after the other. A producer claims the
 * next index with one atomic increment and writes its slot; a consumer takes the element at the head
 * index with one compare-and-set. The size is the difference of the two indexes, so no counter is
 * updated besides them. Consumers that find the queue empty wait on a condition; a producer takes the
 * lock to signal only when some consumer waits.
 */
final class ReadyQueue<E> {

	static final int CHUNK = 1024;

	/** How long a consumer spins on a slot claimed by a producer that has not written it yet. */
	private static final int SPINS = 64;

	private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

	private static final VarHandle NEXT;

	static {
		try {
			NEXT = MethodHandles.lookup().findVarHandle(Chunk.class, "next", Chunk.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final class Chunk {

		final long base;

		final @Nullable Object[] slots = new Object[CHUNK];

		volatile @Nullable Chunk next;

		Chunk(long base) {
			this.base = base;
		}

	}

	/** The next index a producer claims. */
	private final AtomicLong tail = new AtomicLong();

	/** The index of the next element to take. */
	private final AtomicLong head = new AtomicLong();

	/** A chunk at or before the one holding {@link #tail}: where producers start looking. */
	private volatile Chunk tailChunk;

	/** A chunk at or before the one holding {@link #head}: where consumers start looking. */
	private volatile Chunk headChunk;

	private final AtomicInteger waiting = new AtomicInteger();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notEmpty = this.lock.newCondition();

	ReadyQueue() {
		Chunk first = new Chunk(0);
		this.tailChunk = first;
		this.headChunk = first;
	}

	void offer(E element) {
		long index = this.tail.getAndIncrement();
		Chunk chunk = this.tailChunk;
		if (chunk.base > index) {
			// later producers moved the hint past this index: start from the consumers' side, which
			// cannot be past a slot not written yet
			chunk = this.headChunk;
		}
		while (index >= chunk.base + CHUNK) {
			Chunk next = chunk.next;
			if (next == null) {
				Chunk created = new Chunk(chunk.base + CHUNK);
				next = NEXT.compareAndSet(chunk, null, created) ? created : chunk.next;
			}
			chunk = next;
		}
		if (chunk.base > this.tailChunk.base) {
			this.tailChunk = chunk;
		}
		SLOTS.setVolatile(chunk.slots, (int) (index - chunk.base), element);
		// the volatile write above and this read pair with the consumer's increment and re-check
		if (this.waiting.get() > 0) {
			this.lock.lock();
			try {
				this.notEmpty.signal();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/** @return the head element, or {@code null} when there is none yet */
	@SuppressWarnings("unchecked")
	@Nullable E poll() {
		int spins = 0;
		while (true) {
			long index = this.head.get();
			Chunk chunk = this.headChunk;
			if (index < chunk.base) {
				continue; // another consumer moved on meanwhile
			}
			while (index >= chunk.base + CHUNK) {
				Chunk next = chunk.next;
				if (next == null) {
					break;
				}
				chunk = next;
			}
			Object element = null;
			int slot = -1;
			if (index < chunk.base + CHUNK) {
				if (chunk != this.headChunk && chunk.base > this.headChunk.base) {
					this.headChunk = chunk;
				}
				slot = (int) (index - chunk.base);
				element = SLOTS.getVolatile(chunk.slots, slot);
			}
			if (element == null) {
				// taken by another consumer, or not there yet: the queue is empty, or the producer that
				// claimed the index has not linked its chunk or written its slot yet
				if (this.head.get() != index) {
					continue;
				}
				if (this.tail.get() <= index) {
					return null; // empty
				}
				if (++spins > SPINS) {
					return null;
				}
				Thread.onSpinWait();
				continue;
			}
			if (this.head.compareAndSet(index, index + 1)) {
				SLOTS.setRelease(chunk.slots, slot, null);
				return (E) element;
			}
		}
	}

	E take() throws InterruptedException {
		E element = poll();
		if (element != null) {
			return element;
		}
		this.lock.lockInterruptibly();
		try {
			this.waiting.incrementAndGet();
			try {
				while ((element = poll()) == null) {
					this.notEmpty.await();
				}
				return element;
			}
			finally {
				this.waiting.decrementAndGet();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	@Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException {
		E element = poll();
		if (element != null) {
			return element;
		}
		long nanos = unit.toNanos(timeout);
		this.lock.lockInterruptibly();
		try {
			this.waiting.incrementAndGet();
			try {
				while ((element = poll()) == null) {
					if (nanos <= 0) {
						return null;
					}
					nanos = this.notEmpty.awaitNanos(nanos);
				}
				return element;
			}
			finally {
				this.waiting.decrementAndGet();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return how many elements were offered and not taken yet */
	long size() {
		return Math.max(0, this.tail.get() - this.head.get());
	}

}
