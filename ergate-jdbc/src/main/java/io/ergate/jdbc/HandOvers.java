package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.ergate.Job;
import io.ergate.JobCancelledException;
import io.ergate.JobStatus;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a step: deletes the claimed row (fenced), writes the job's new state when the store is
 * a {@link JdbcStateStore} on the queue's database, and inserts its successor, all at once; on
 * PostgreSQL one statement a job, and while the queue is deep several jobs in one batch and one
 * transaction (grouped hand-overs). Owns the read barrier: a read of a store first commits the
 * hand-overs waiting for it and waits for the groups other threads are committing.
 */
final class HandOvers {

	/** The queue's log category, which users may already tune. */
	private static final Logger logger = LoggerFactory.getLogger(JdbcJobQueue.class);

	private final Connections connections;

	private final QueueTable table;

	private final ClaimedRows rows;

	private final Claims claims;

	private final LeaseKeeper timer;

	private final Signal signal;

	private final Duration delay;

	private final int maxGroup;

	private final Object monitor = new Object();

	/** Hand-overs waiting to commit with others; guarded by the monitor. */
	private final List<HandOver> waiting = new ArrayList<>();

	private volatile int waitingCount;

	/** How many groups of hand-overs began to commit; guarded by the monitor. */
	private long groupsBegun;

	/** The numbers of the groups committing now, for readers to wait on; guarded by the monitor. */
	private final TreeSet<Long> groupsCommitting = new TreeSet<>();

	private final Set<JdbcStateStore> readersCommitFirst = ConcurrentHashMap.newKeySet();

	private final Map<JdbcStateStore, String[]> statements = new ConcurrentHashMap<>();

	private volatile boolean closed;

	HandOvers(Connections connections, QueueTable table, ClaimedRows rows, Claims claims, LeaseKeeper timer,
			Signal signal, JdbcOptions options) {
		this.connections = connections;
		this.table = table;
		this.rows = rows;
		this.claims = claims;
		this.timer = timer;
		this.signal = signal;
		this.delay = options.handOverDelay();
		this.maxGroup = options.claimBatchSize();
	}

	/**
	 * Hands a delivery over to the job's new state, whose store (when it is not {@code store}) was
	 * written already. Returns once committed, or once waiting to commit with a group.
	 */
	void handOver(JdbcDelivery delivery, Job newState, @Nullable JdbcStateStore store) {
		if (store != null && groups()) {
			HandOver own = new HandOver(delivery, newState, store);
			List<HandOver> group;
			long sequence;
			synchronized (this.monitor) {
				if (!this.closed && queueIsDeep() && this.waiting.size() + 1 < this.maxGroup) {
					// more steps of this process will end soon: commit with a later hand-over
					this.waiting.add(own);
					this.waitingCount = this.waiting.size();
					if (this.waitingCount == 1) {
						scheduleCommit(store);
					}
					return;
				}
				group = takeWaiting();
				sequence = beginGroup();
			}
			try {
				group.add(own);
				commit(group, own);
			}
			finally {
				endGroup(sequence);
			}
			return;
		}
		boolean lost;
		try {
			if (store != null && this.connections.dialect().handsOverInOneStatement()) {
				lost = inOneStatement(delivery, newState, store);
			}
			else {
				lost = inTransaction(delivery, newState, store);
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Completing the delivery of job " + newState.id() + " (row "
					+ delivery.rowId + " of " + this.table.name + ") failed", ex);
		}
		Job cancelled = lost ? cancelledBy(store, newState) : null;
		if (cancelled != null) {
			throw new JobCancelledException(cancelled);
		}
		if (handedOn(delivery, newState, lost)) {
			this.signal.bump();
		}
	}

	/**
	 * Commits the hand-overs that wait: before a claim, when the delay ends, before a read of their
	 * store, and at close. A failure is logged and their rows are given back to run again.
	 */
	void commitWaiting() {
		if (this.waitingCount == 0) {
			return;
		}
		List<HandOver> group;
		long sequence;
		synchronized (this.monitor) {
			group = takeWaiting();
			sequence = beginGroup();
		}
		try {
			if (!group.isEmpty()) {
				commit(group, null);
			}
		}
		finally {
			endGroup(sequence);
		}
	}

	/** Commits what waits and lets hand-overs commit alone from now on. */
	void close() {
		this.closed = true;
		commitWaiting();
		for (JdbcStateStore store : this.readersCommitFirst) {
			store.forget(this);
		}
	}

	/**
	 * Before a read of a store: commits the hand-overs that wait, then waits for the groups that other
	 * threads began to commit before, so that the read sees every hand-over that returned before it.
	 */
	void commitBeforeRead() {
		commitWaiting();
		boolean interrupted = false;
		synchronized (this.monitor) {
			long begun = this.groupsBegun;
			while (!this.groupsCommitting.isEmpty() && this.groupsCommitting.first() <= begun) {
				try {
					this.monitor.wait();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Whether hand-overs may wait to commit together: with a hand-over delay, where a hand-over is one
	 * statement, outside any Spring transaction (a caller's transaction decides when its work commits).
	 */
	private boolean groups() {
		return !this.delay.isZero() && this.connections.dialect().handsOverInOneStatement()
				&& !this.connections.isTransactionActive();
	}

	/**
	 * Whether another hand-over of this process will come soon to commit with: jobs claimed that no
	 * worker has started yet, or, when the last claim came back full, steps running on other workers.
	 */
	private boolean queueIsDeep() {
		return this.rows.anyNotStarted() || (this.claims.lastClaimWasFull() && this.rows.anyRunning());
	}

	/** Called with the monitor held: empties the waiting hand-overs into a new list. */
	private List<HandOver> takeWaiting() {
		List<HandOver> group = new ArrayList<>(this.waiting.size() + 1);
		group.addAll(this.waiting);
		this.waiting.clear();
		this.waitingCount = 0;
		return group;
	}

	/** Called with the monitor held, for the first hand-over of a group. */
	private void scheduleCommit(JdbcStateStore store) {
		if (this.readersCommitFirst.add(store)) {
			store.commitBeforeReads(this);
		}
		this.timer.schedule(this::commitWaiting, this.delay.toNanos());
	}

	/** Called with the monitor held, with the group taken: numbers the group for readers to wait on. */
	private long beginGroup() {
		long sequence = ++this.groupsBegun;
		this.groupsCommitting.add(sequence);
		return sequence;
	}

	private void endGroup(long sequence) {
		synchronized (this.monitor) {
			this.groupsCommitting.remove(sequence);
			this.monitor.notifyAll();
		}
	}

	/**
	 * Commits a group of hand-overs in one transaction. When it fails, the rows of the others are given
	 * back (their steps run again) and the failure is thrown for {@code own}, whose delivery the
	 * engine then releases.
	 */
	private void commit(List<HandOver> group, @Nullable HandOver own) {
		boolean[] lost;
		try (Connection connection = this.connections.own()) {
			// a hand-over alone is one statement, atomic in auto-commit: no transaction round trips
			lost = (group.size() == 1 && connection.getAutoCommit()) ? execute(connection, group)
					: Connections.inOwnTransaction(connection, (tx) -> execute(tx, group));
		}
		catch (SQLException | RuntimeException ex) {
			for (HandOver handOver : group) {
				if (handOver != own) {
					logger.error("Handing over job {} (row {} of {}) failed; its step runs again", handOver.newState().id(),
							handOver.delivery().rowId, this.table.name, (own == null) ? ex : null);
					this.rows.giveBackAfterFailure(handOver.delivery());
				}
			}
			if (own != null) {
				throw new ErgateJdbcException("Completing the delivery of job " + own.newState().id() + " (row "
						+ own.delivery().rowId + " of " + this.table.name + ") failed", ex);
			}
			return;
		}
		boolean successors = false;
		Job ownCancelled = null;
		for (int i = 0; i < group.size(); i++) {
			HandOver handOver = group.get(i);
			Job cancelled = lost[i] ? cancelledBy(handOver.store(), handOver.newState()) : null;
			if (cancelled == null) {
				successors |= handedOn(handOver.delivery(), handOver.newState(), lost[i]);
			}
			else if (handOver == own) {
				ownCancelled = cancelled;
			}
			else {
				logger.info("Job {} was cancelled: its hand-over recorded it CANCELLED", cancelled.id());
			}
		}
		if (successors) {
			this.signal.bump();
		}
		if (ownCancelled != null) {
			throw new JobCancelledException(ownCancelled);
		}
	}

	/**
	 * Deletes the claimed row, writes the state when the store is ours, inserts the successor. When
	 * the store's row shows a cancel, the job is recorded CANCELLED instead, without a successor, and
	 * the engine is told once the transaction committed.
	 */
	private boolean inTransaction(JdbcDelivery delivery, Job newState, @Nullable JdbcStateStore store)
			throws SQLException {
		Job[] cancelled = new Job[1];
		boolean lost = this.connections.inTransaction((connection) -> {
			if (this.table.deleteClaimed(connection, delivery.rowId, delivery.deliveryCount) == 0) {
				if (this.connections.isExternallyManaged(connection)) {
					throw new IllegalStateException(this.table.leaseLost(delivery));
				}
				return true;
			}
			if (store != null) {
				Job recorded = store.table().readForUpdate(connection, store.table().key(newState));
				JobStatus status = (recorded != null) ? recorded.status() : null;
				if (status == JobStatus.CANCELLED || (status == JobStatus.CANCELLING && !newState.status().isFinal())) {
					// a cancel was requested: recorded CANCELLED at the state the step led to, no successor
					cancelled[0] = (status == JobStatus.CANCELLED) ? recorded
							: newState.toBuilder().status(JobStatus.CANCELLED).build();
					store.table().overwrite(connection, cancelled[0], true);
					return false;
				}
				if (status == JobStatus.CANCELLING) {
					// the step ended the job: it ends as it did
					store.table().overwrite(connection, newState, true);
				}
				else {
					store.table().upsert(connection, newState);
				}
			}
			if (!newState.status().isFinal()) {
				// no NOTIFY: the worker completing this delivery takes again at once
				this.table.insert(connection, this.connections.dialect(connection), List.of(newState));
			}
			return false;
		});
		if (cancelled[0] != null) {
			throw new JobCancelledException(cancelled[0]);
		}
		return lost;
	}

	/**
	 * After a hand-over that changed nothing on PostgreSQL: whether it met a cancel (the job is
	 * recorded CANCELLED, by the hand-over or before it) rather than a lost lease.
	 */
	private static @Nullable Job cancelledBy(@Nullable JdbcStateStore store, Job newState) {
		if (store == null) {
			return null;
		}
		Job recorded = store.recordedNow(newState);
		return (recorded != null && recorded.status() == JobStatus.CANCELLED) ? recorded : null;
	}

	/**
	 * One statement (one round trip, atomic even in auto-commit), in the caller's transaction when
	 * there is one.
	 * @return whether the lease was lost
	 */
	private boolean inOneStatement(JdbcDelivery delivery, Job newState, JdbcStateStore store) throws SQLException {
		Connection connection = this.connections.shared();
		try {
			boolean lost = execute(connection, List.of(new HandOver(delivery, newState, store)))[0];
			if (lost && this.connections.isExternallyManaged(connection)) {
				throw new IllegalStateException(this.table.leaseLost(delivery));
			}
			return lost;
		}
		finally {
			this.connections.release(connection);
		}
	}

	/**
	 * The one-statement hand-overs, one a job: deletes the claimed row and, only when that succeeded,
	 * upserts the state and inserts the successor. Several go in one batch (one round trip). Returns,
	 * for each, whether the lease was lost (nothing changed for it then).
	 */
	private boolean[] execute(Connection connection, List<HandOver> group) throws SQLException {
		boolean[] lost = new boolean[group.size()];
		// one batch per statement: per store, with or without a successor
		Map<String, List<Integer>> batches = new LinkedHashMap<>();
		for (int i = 0; i < group.size(); i++) {
			HandOver handOver = group.get(i);
			String[] sql = this.statements.computeIfAbsent(handOver.store(), this::statements);
			batches.computeIfAbsent(sql[handOver.newState().status().isFinal() ? 1 : 0], (key) -> new ArrayList<>())
				.add(i);
		}
		long now = this.table.clock.millis();
		for (Map.Entry<String, List<Integer>> batch : batches.entrySet()) {
			List<Integer> indexes = batch.getValue();
			try (PreparedStatement statement = connection.prepareStatement(batch.getKey())) {
				for (int i : indexes) {
					HandOver handOver = group.get(i);
					int index = this.table.bindClaimedRow(statement, 1, handOver.delivery());
					index = handOver.store().table().bindPostgresUpsert(statement, index, handOver.newState());
					if (!handOver.newState().status().isFinal()) {
						this.table.bindInsert(statement, index, handOver.newState(), now);
					}
					if (indexes.size() > 1) {
						statement.addBatch();
					}
				}
				if (indexes.size() == 1) {
					lost[indexes.get(0)] = statement.executeUpdate() == 0;
				}
				else {
					int[] counts = statement.executeBatch();
					for (int j = 0; j < counts.length; j++) {
						lost[indexes.get(j)] = counts[j] == 0;
					}
				}
			}
		}
		return lost;
	}

	/**
	 * The hand-over statements for a store, with a successor and without: the update count is 1 when
	 * the claimed row was still ours (and then the state and the successor are written), 0 when the
	 * lease was lost or the job is being cancelled (its state then written CANCELLED, no successor).
	 */
	private String[] statements(JdbcStateStore store) {
		String delete = this.table.deleteClaimedAs("d");
		// the successor only when the state was written as it came: not when the job is being cancelled
		HistoryTable history = store.table().history;
		String withSuccessor = delete + ", s AS (" + store.table().postgresUpsert("d", true) + ") "
				+ (history.enabled() ? ", h AS (" + history.insertFrom("s") + ") " : "")
				+ this.table.insertSuccessorFrom("d JOIN s ON s.status <> 'CANCELLED'");
		String withoutSuccessor = history.enabled()
				? delete + ", s AS (" + store.table().postgresUpsert("d", true) + ") " + history.insertFrom("s")
				: delete + " " + store.table().postgresUpsert("d");
		return new String[] { withSuccessor, withoutSuccessor };
	}

	/** After a hand-over: logs a lost lease; returns whether a successor was queued. */
	private boolean handedOn(JdbcDelivery delivery, Job newState, boolean lost) {
		if (lost) {
			logger.warn(this.table.leaseLost(delivery) + ": its new state is dropped, the step runs again elsewhere");
			return false;
		}
		return !newState.status().isFinal();
	}

	/** A step's hand-over: the delivery it completes, the job's new state and the store to write it to. */
	private record HandOver(JdbcDelivery delivery, Job newState, JdbcStateStore store) {
	}

}
