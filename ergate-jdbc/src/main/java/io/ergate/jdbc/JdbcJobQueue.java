package io.ergate.jdbc;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.ergate.Job;
import io.ergate.JobDecoder;
import io.ergate.JobDelivery;
import io.ergate.MeasurableJobQueue;
import io.ergate.PoisonJobException;
import io.ergate.ReliableJobQueue;
import io.ergate.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link ReliableJobQueue} in a table ({@code ergate_queue} by default), shared by any number of
 * workers in any number of processes.
 * <ul>
 * <li><b>Claims.</b> A worker claims rows with {@code SELECT ... FOR UPDATE SKIP LOCKED}, so two
 * workers never claim the same row, and marks them with its process's id ({@code claimed_by}) and a
 * lease ({@code lease_until}). While a step runs, a heartbeat extends the lease every third of
 * {@link JdbcOptions#leaseDuration()}; a row whose worker died becomes claimable again when its lease
 * ends. Every claim increments {@code delivery_count}, which fences later writes: a worker that lost
 * its lease cannot complete, acknowledge or release the row.</li>
 * <li><b>Batches.</b> When the queue is deep, one round trip claims up to
 * {@link JdbcOptions#claimBatchSize()} rows; the process's workers take them one by one. A claimed
 * row is given back when no worker of the process came to take one for a poll interval (the engine
 * stopped, or all its workers are busy), when it waited half its lease, or when the queue is
 * {@linkplain #close() closed}.</li>
 * <li><b>Delays.</b> A job whose {@link Job#requestedStartTime()} is in the future is not claimable
 * before it ({@code ready_at}); idle workers sleep until the earliest such time.</li>
 * <li><b>Wake-ups.</b> Idle workers sleep, never poll busily: on PostgreSQL one connection per queue
 * {@code LISTEN}s and every put {@code NOTIFY}s, so workers wake within milliseconds; on other
 * databases they look again after {@link JdbcOptions#pollInterval()}, or at once for a put in the same
 * process.</li>
 * <li><b>Poison rows.</b> A row whose payload is not a valid job is moved to the dead-letter table
 * ({@code ergate_dead_letter}) with the validation error, and the worker claims the next row. So is a
 * job delivered more than {@link JdbcOptions#maxDeliveries()} times in the same state.</li>
 * <li><b>Atomic hand-over.</b> When the {@link StateStore} given to
 * {@link JobDelivery#complete(Job, StateStore)} is a {@link JdbcStateStore} on the same
 * {@link DataSource}, the new state, the successor's row and the deletion of the claimed row commit in
 * one transaction: after a crash at any instant the database holds either the old state and row (the
 * step runs again) or the new ones, never both or neither. With another store, the store is written
 * first, then the queue's transaction commits: a crash in between runs the step again.</li>
 * <li><b>Grouped hand-overs.</b> On PostgreSQL, outside a Spring transaction, while the queue is deep
 * (this process holds claimed jobs that its workers have not started, or its last claim came back
 * full and other steps of this process are running), a hand-over to a {@link JdbcStateStore} waits up
 * to {@link JdbcOptions#handOverDelay()} to commit in one transaction with the next ones. The group
 * commits when a worker is about to claim, when it reaches {@link JdbcOptions#claimBatchSize()}, when
 * no other step of the process is left to wait for, or when the delay ends; so a step costs a
 * fraction of a commit. Each job's hand-over stays atomic; a crash before the group commits makes
 * its steps run again. Reads through the store commit the waiting hand-overs first.</li>
 * </ul>
 * {@link #put(Job)} joins the caller's Spring transaction when spring-jdbc is on the class path and
 * one is active: a job submitted in a {@code @Transactional} method is queued only if it commits.
 * Close the queue when done with it: that stops its listener and heartbeat and gives back the rows
 * claimed but not started.
 */
public final class JdbcJobQueue implements ReliableJobQueue, MeasurableJobQueue, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(JdbcJobQueue.class);

	private static final long NO_WAIT_RETRY_MILLIS = 10;

	/** The fence of every write to a claimed row: only the claim that holds it may change it. */
	private static final String CLAIMED_ROW = " WHERE id = ? AND claimed_by = ? AND delivery_count = ?";

	private static final String CLAIMABLE = " WHERE ready_at <= ? AND (lease_until IS NULL OR lease_until < ?) "
			+ "ORDER BY ready_at, id LIMIT ? FOR UPDATE SKIP LOCKED";

	private static final String QUEUE_COLUMNS = " (job_id, workflow_name, payload, ready_at, delivery_count, enqueued_at)";

	private final Connections connections;

	private final JdbcOptions options;

	private final JsonMapper mapper;

	private final JobDecoder decoder;

	private final String queueTable;

	private final String deadLetterTable;

	private final String channel;

	// statements, built once
	private final String claimReturning;

	private final String claimSelect;

	private final String claimUpdate;

	private final String deleteClaimed;

	private final String instanceId;

	private final Clock clock = Clock.systemUTC();

	private final Signal signal = new Signal();

	private final ConcurrentLinkedDeque<JdbcDelivery> claimedNotStarted = new ConcurrentLinkedDeque<>();

	private final Set<JdbcDelivery> inFlight = ConcurrentHashMap.newKeySet();

	private final AtomicInteger nextClaimSize = new AtomicInteger(1);

	private final Object lifecycleMonitor = new Object();

	private final Object handOverMonitor = new Object();

	/** Hand-overs waiting to commit with others; guarded by handOverMonitor. */
	private final List<HandOver> waitingHandOvers = new ArrayList<>();

	private volatile int waitingCount;

	private final Set<JdbcStateStore> readersCommitFirst = ConcurrentHashMap.newKeySet();

	private final Map<JdbcStateStore, String[]> handOverSql = new ConcurrentHashMap<>();

	/** How many groups of hand-overs began to commit; guarded by handOverMonitor. */
	private long groupsBegun;

	/** The numbers of the groups committing now, for readers to wait on; guarded by handOverMonitor. */
	private final TreeSet<Long> groupsCommitting = new TreeSet<>();

	private final Runnable readBarrier = this::commitBeforeRead;

	private volatile boolean started;

	private volatile boolean closed;

	private volatile boolean listening;

	private volatile long lastTakeNanos = System.nanoTime();

	private @Nullable ScheduledExecutorService heartbeat;

	private @Nullable Thread listener;

	/**
	 * Creates a queue on the default table {@code ergate_queue}.
	 * @param dataSource the database
	 */
	public JdbcJobQueue(DataSource dataSource) {
		this(dataSource, JdbcOptions.defaults());
	}

	/**
	 * Creates a queue.
	 * @param dataSource the database
	 * @param options the table prefix, claim batch size, lease and polling settings
	 */
	public JdbcJobQueue(DataSource dataSource, JdbcOptions options) {
		this.options = Objects.requireNonNull(options, "options");
		this.connections = new Connections(Objects.requireNonNull(dataSource, "dataSource"), options.dialect());
		this.mapper = options.jsonMapper();
		this.decoder = new JobDecoder(this.mapper, options.maxPayloadBytes());
		this.queueTable = options.table("queue");
		this.deadLetterTable = options.table("dead_letter");
		this.channel = this.queueTable.toLowerCase(Locale.ROOT);
		// claims commit without waiting for the WAL flush: one lost in a database crash only makes its
		// steps run again
		this.claimReturning = JdbcDialect.NO_FLUSH_WAIT + " UPDATE " + this.queueTable
				+ " SET claimed_by = ?, lease_until = ?, delivery_count = delivery_count + 1 FROM c WHERE id IN "
				+ "(SELECT id FROM " + this.queueTable + CLAIMABLE + ") RETURNING id, payload, delivery_count, ready_at";
		this.claimSelect = "SELECT id, payload, delivery_count, ready_at FROM " + this.queueTable + CLAIMABLE;
		this.claimUpdate = "UPDATE " + this.queueTable
				+ " SET claimed_by = ?, lease_until = ?, delivery_count = delivery_count + 1 WHERE id = ?";
		this.deleteClaimed = "DELETE FROM " + this.queueTable + CLAIMED_ROW;
		this.instanceId = newInstanceId();
	}

	/**
	 * Returns the database of this queue.
	 * @return the data source
	 */
	public DataSource dataSource() {
		return this.connections.dataSource();
	}

	/**
	 * Returns the settings of this queue.
	 * @return the settings
	 */
	public JdbcOptions options() {
		return this.options;
	}

	/**
	 * Returns the id this queue writes into {@code claimed_by}: host, process id and a random part.
	 * @return the id
	 */
	public String instanceId() {
		return this.instanceId;
	}

	@Override
	public void put(Job job) {
		putAll(List.of(job));
	}

	/**
	 * Puts several jobs in one round trip and one transaction (the caller's, when one is active).
	 * @param jobs the jobs
	 */
	public void putAll(Collection<Job> jobs) {
		if (jobs.isEmpty()) {
			return;
		}
		try {
			this.connections.inTransaction((connection) -> {
				insert(connection, jobs);
				notifyWorkers(connection);
				return null;
			});
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Putting " + jobs.size() + " job(s) on " + this.queueTable + " failed", ex);
		}
		this.signal.bump();
	}

	/**
	 * Submits a new job. When the store is a {@link JdbcStateStore} on this queue's {@code DataSource},
	 * its initial state and its queue row are written in one transaction (the caller's, when one is
	 * active): a crash never leaves a recorded job that is not on the queue.
	 * @param job the new job
	 * @param stateStore the store to record it in
	 */
	@Override
	public void submit(Job job, StateStore stateStore) {
		JdbcStateStore jdbcStore = sameDatabaseStore(stateStore);
		if (jdbcStore == null) {
			ReliableJobQueue.super.submit(job, stateStore);
			return;
		}
		jdbcStore.settle(job);
		try {
			this.connections.inTransaction((connection) -> {
				jdbcStore.upsert(connection, job);
				insert(connection, List.of(job));
				notifyWorkers(connection);
				return null;
			});
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Submitting job " + job.id() + " to " + this.queueTable + " failed", ex);
		}
		this.signal.bump();
	}

	@Override
	public JobDelivery take() throws InterruptedException {
		start();
		this.lastTakeNanos = System.nanoTime();
		while (true) {
			if (this.closed) {
				throw new IllegalStateException("JdbcJobQueue on " + this.queueTable + " is closed");
			}
			if (Thread.interrupted()) {
				giveBackClaimedNotStarted();
				throw new InterruptedException();
			}
			JdbcDelivery delivery = nextClaimedNotStarted();
			if (delivery != null) {
				return delivery;
			}
			// the successors of waiting hand-overs become claimable once they commit
			commitWaitingHandOvers();
			long seen = this.signal.version();
			List<JdbcDelivery> claimed = claim();
			if (claimed == null) {
				continue; // rows were claimed but all were dead-lettered: look again at once
			}
			if (!claimed.isEmpty()) {
				JdbcDelivery first = claimed.get(0);
				this.inFlight.add(first);
				if (claimed.size() > 1) {
					this.claimedNotStarted.addAll(claimed.subList(1, claimed.size()));
					this.signal.bump();
				}
				if (Thread.currentThread().isInterrupted()) {
					// stopping: keep nothing back for workers that will not come
					giveBackClaimedNotStarted();
				}
				return first;
			}
			long now = this.clock.millis();
			long waitMillis = this.options.pollInterval().toMillis();
			Long due = nextDue();
			if (due != null) {
				waitMillis = Math.min(waitMillis, Math.max(due - now, NO_WAIT_RETRY_MILLIS));
			}
			try {
				this.signal.await(seen, TimeUnit.MILLISECONDS.toNanos(waitMillis));
			}
			catch (InterruptedException ex) {
				// the engine is stopping: give back what no worker will start
				giveBackClaimedNotStarted();
				throw ex;
			}
		}
	}

	/**
	 * Returns how many rows the queue table holds: jobs due, delayed or being run.
	 * @return the count, or -1 when the database cannot be reached
	 */
	@Override
	public long depth() {
		Long count = queryLong("SELECT COUNT(*) FROM " + this.queueTable, -1);
		return (count != null) ? count : -1;
	}

	/**
	 * Returns how long the oldest due job that no worker holds has waited since it became due.
	 * @return the age, or {@code null} when no job waits or the database cannot be reached
	 */
	@Override
	public @Nullable Duration oldestJobAge() {
		long now = this.clock.millis();
		Long oldest = queryLong("SELECT MIN(ready_at) FROM " + this.queueTable
				+ " WHERE ready_at <= ? AND lease_until IS NULL", now);
		return (oldest != null) ? Duration.ofMillis(Math.max(0, now - oldest)) : null;
	}

	/**
	 * Returns how many jobs are held by a worker under a lease that has not expired: the steps running
	 * now (and the rows claimed ahead in batches), in every process sharing the queue.
	 * @return the count, or -1 when the database cannot be reached
	 */
	public long leased() {
		Long count = queryLong("SELECT COUNT(*) FROM " + this.queueTable + " WHERE lease_until > ?",
				this.clock.millis());
		return (count != null) ? count : -1;
	}

	private @Nullable Long queryLong(String sql, long parameter) {
		try (Connection connection = this.connections.own();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			if (sql.indexOf('?') >= 0) {
				statement.setLong(1, parameter);
			}
			try (ResultSet result = statement.executeQuery()) {
				if (result.next()) {
					long value = result.getLong(1);
					return result.wasNull() ? null : value;
				}
				return null;
			}
		}
		catch (SQLException ex) {
			logger.warn("Measuring {} failed: {}", this.queueTable, ex.getMessage());
			return null;
		}
	}

	/**
	 * Stops the listener and the heartbeat and gives back the rows claimed but not started. Deliveries
	 * in progress can still be completed; their leases are no longer extended.
	 */
	@Override
	public void close() {
		Thread listenerThread;
		synchronized (this.lifecycleMonitor) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			listenerThread = this.listener;
			if (this.heartbeat != null) {
				this.heartbeat.shutdownNow();
			}
		}
		this.signal.bump();
		commitWaitingHandOvers();
		for (JdbcStateStore store : this.readersCommitFirst) {
			store.removeBeforeRead(this.readBarrier);
		}
		giveBackClaimedNotStarted();
		if (listenerThread != null) {
			try {
				listenerThread.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public String toString() {
		return "JdbcJobQueue{table=" + this.queueTable + ", instance=" + this.instanceId + "}";
	}

	// --- claiming

	private void start() {
		if (this.started) {
			return;
		}
		synchronized (this.lifecycleMonitor) {
			if (this.started || this.closed) {
				return;
			}
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "ergate-jdbc-heartbeat-" + this.queueTable);
				thread.setDaemon(true);
				return thread;
			});
			long period = Math.max(100, this.options.leaseDuration().toMillis() / 3);
			executor.scheduleWithFixedDelay(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
			long poll = this.options.pollInterval().toMillis();
			executor.scheduleWithFixedDelay(this::giveBackWhenNoWorkerTakes, poll, poll, TimeUnit.MILLISECONDS);
			this.heartbeat = executor;
			if (this.options.listenNotify() && dialect().supportsListenNotify()) {
				Thread thread = new Thread(this::listen, "ergate-jdbc-listener-" + this.queueTable);
				thread.setDaemon(true);
				thread.start();
				this.listener = thread;
			}
			this.started = true;
		}
	}

	private @Nullable JdbcDelivery nextClaimedNotStarted() {
		long maxAge = TimeUnit.MILLISECONDS.toNanos(this.options.leaseDuration().toMillis() / 2);
		JdbcDelivery delivery;
		while ((delivery = this.claimedNotStarted.pollFirst()) != null) {
			if (System.nanoTime() - delivery.claimedAtNanos < maxAge) {
				this.inFlight.add(delivery);
				return delivery;
			}
			giveBack(delivery);
		}
		return null;
	}

	/** The deliveries claimed, or null when every claimed row was dead-lettered. */
	private @Nullable List<JdbcDelivery> claim() {
		int limit = this.nextClaimSize.get();
		List<Row> rows;
		try {
			rows = (dialect() == JdbcDialect.POSTGRESQL) ? claimReturning(limit) : claimSelectThenUpdate(limit);
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Claiming jobs from " + this.queueTable + " failed", ex);
		}
		this.nextClaimSize.set((rows.size() == limit) ? Math.min(limit * 2, this.options.claimBatchSize()) : 1);
		if (rows.isEmpty()) {
			return List.of();
		}
		rows.sort(Comparator.comparingLong(Row::readyAt).thenComparingLong(Row::id));
		long now = System.nanoTime();
		List<JdbcDelivery> deliveries = new ArrayList<>(rows.size());
		for (Row row : rows) {
			Job job = decode(row);
			if (job != null) {
				deliveries.add(new JdbcDelivery(this, row.id(), row.deliveryCount(), job, now));
			}
		}
		return deliveries.isEmpty() ? null : deliveries;
	}

	private List<Row> claimReturning(int limit) throws SQLException {
		long now = this.clock.millis();
		try (Connection connection = this.connections.own();
				PreparedStatement statement = connection.prepareStatement(this.claimReturning)) {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			statement.setString(1, this.instanceId);
			statement.setLong(2, now + this.options.leaseDuration().toMillis());
			statement.setLong(3, now);
			statement.setLong(4, now);
			statement.setInt(5, limit);
			List<Row> rows = new ArrayList<>(limit);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					rows.add(new Row(result.getLong(1), result.getString(2), result.getInt(3), result.getLong(4)));
				}
			}
			return rows;
		}
	}

	private List<Row> claimSelectThenUpdate(int limit) throws SQLException {
		long now = this.clock.millis();
		try (Connection connection = this.connections.own()) {
			int isolation = connection.getTransactionIsolation();
			boolean readCommitted = dialect() == JdbcDialect.MARIADB
					&& isolation != Connection.TRANSACTION_READ_COMMITTED;
			if (readCommitted) {
				// no gap locks: concurrent claimers skip each other's rows instead of waiting
				connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
			}
			try {
				return Connections.inOwnTransaction(connection, (tx) -> {
					List<Row> rows = new ArrayList<>(limit);
					try (PreparedStatement statement = tx.prepareStatement(this.claimSelect)) {
						statement.setLong(1, now);
						statement.setLong(2, now);
						statement.setInt(3, limit);
						try (ResultSet result = statement.executeQuery()) {
							while (result.next()) {
								rows.add(new Row(result.getLong(1), result.getString(2), result.getInt(3) + 1,
										result.getLong(4)));
							}
						}
					}
					if (!rows.isEmpty()) {
						try (PreparedStatement statement = tx.prepareStatement(this.claimUpdate)) {
							for (Row row : rows) {
								statement.setString(1, this.instanceId);
								statement.setLong(2, now + this.options.leaseDuration().toMillis());
								statement.setLong(3, row.id());
								statement.addBatch();
							}
							statement.executeBatch();
						}
					}
					return rows;
				});
			}
			finally {
				if (readCommitted) {
					connection.setTransactionIsolation(isolation);
				}
			}
		}
	}

	/** The earliest ready_at of an unclaimed row, to sleep until a delayed job is due. */
	private @Nullable Long nextDue() {
		String sql = "SELECT MIN(ready_at) FROM " + this.queueTable + " WHERE lease_until IS NULL";
		try (Connection connection = this.connections.own();
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet result = statement.executeQuery()) {
			if (result.next()) {
				long due = result.getLong(1);
				return result.wasNull() ? null : due;
			}
			return null;
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Reading the next due time from " + this.queueTable + " failed", ex);
		}
	}

	/** Reads a claimed row's job, or moves the row to the dead-letter table and returns null. */
	private @Nullable Job decode(Row row) {
		int max = this.options.maxDeliveries();
		if (max > 0 && row.deliveryCount() > max) {
			deadLetter(row, new IllegalStateException("Delivered " + row.deliveryCount() + " times without completing "
					+ "(max-deliveries " + max + "): its step or its hand-over keeps failing, or keeps killing its "
					+ "worker; see the worker logs"));
			return null;
		}
		try {
			// a row put by hand without an id gets one that is stable across redeliveries
			Job job = this.decoder.decode(row.payload(), this.queueTable + ":" + row.id()).job();
			JobKeys.key(this.mapper, job.id());
			return job;
		}
		catch (RuntimeException ex) {
			deadLetter(row, ex);
			return null;
		}
	}

	private void deadLetter(Row row, RuntimeException error) {
		String reason = (error instanceof PoisonJobException) ? error.getMessage()
				: error.getClass().getName() + ": " + error.getMessage();
		deadLetter(row, reason);
	}

	/** Moves a claimed row to the dead-letter table with the reason; false when it was not ours any more. */
	private boolean deadLetter(Row row, String reason) {
		logger.warn("Queue row {} of {} moves to {}: {}", row.id(), this.queueTable, this.deadLetterTable, reason);
		String insert = "INSERT INTO " + this.deadLetterTable
				+ " (queue_id, payload, error, delivery_count, failed_at) VALUES (?, ?, ?, ?, ?)";
		try (Connection connection = this.connections.own()) {
			return Connections.inOwnTransaction(connection, (tx) -> {
				if (deleteClaimed(tx, row.id(), row.deliveryCount()) == 1) {
					try (PreparedStatement statement = tx.prepareStatement(insert)) {
						statement.setLong(1, row.id());
						statement.setString(2, row.payload());
						statement.setString(3, reason);
						statement.setInt(4, row.deliveryCount());
						statement.setLong(5, this.clock.millis());
						statement.executeUpdate();
					}
					return true;
				}
				return false;
			});
		}
		catch (SQLException ex) {
			// the row stays claimed: it is tried again when its lease ends
			logger.error("Moving queue row {} of {} to {} failed", row.id(), this.queueTable, this.deadLetterTable, ex);
			return false;
		}
	}

	/** The engine's dead-lettering of a delivered job (unknown workflow, final status, poison). */
	boolean deadLetter(JdbcDelivery delivery, String reason) {
		this.inFlight.remove(delivery);
		Row row = new Row(delivery.rowId, this.mapper.writeValueAsString(delivery.job()), delivery.deliveryCount, 0);
		if (!deadLetter(row, reason)) {
			throw new IllegalStateException("Moving job " + delivery.job().id() + " (row " + delivery.rowId + " of "
					+ this.queueTable + ") to " + this.deadLetterTable
					+ " failed: its lease was lost or the database refused it");
		}
		return true;
	}

	@Override
	public boolean handsOverAtomically(StateStore stateStore) {
		return sameDatabaseStore(stateStore) != null;
	}

	// --- deliveries

	void complete(JdbcDelivery delivery, Job newState, StateStore stateStore) {
		this.inFlight.remove(delivery);
		JdbcStateStore jdbcStore = sameDatabaseStore(stateStore);
		if (jdbcStore == null) {
			stateStore.update(newState);
		}
		else {
			jdbcStore.settle(newState);
		}
		if (jdbcStore != null && groupsHandOvers()) {
			HandOver own = new HandOver(delivery, newState, jdbcStore);
			List<HandOver> group;
			long sequence;
			synchronized (this.handOverMonitor) {
				if (!this.closed && queueIsDeep()
						&& this.waitingHandOvers.size() + 1 < this.options.claimBatchSize()) {
					// more steps of this process will end soon: commit with a later hand-over
					this.waitingHandOvers.add(own);
					this.waitingCount = this.waitingHandOvers.size();
					if (this.waitingCount == 1) {
						scheduleHandOverCommit(jdbcStore);
					}
					return;
				}
				group = takeWaitingHandOvers();
				sequence = beginGroup();
			}
			try {
				group.add(own);
				commitHandOvers(group, own);
			}
			finally {
				endGroup(sequence);
			}
			return;
		}
		boolean lost;
		try {
			if (jdbcStore != null && dialect() == JdbcDialect.POSTGRESQL) {
				lost = completeInOneStatement(delivery, newState, jdbcStore);
			}
			else {
				lost = completeInTransaction(delivery, newState, jdbcStore);
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Completing the delivery of job " + newState.id() + " (row "
					+ delivery.rowId + " of " + this.queueTable + ") failed", ex);
		}
		if (handedOn(delivery, newState, lost)) {
			this.signal.bump();
		}
	}

	/** The store when it is a {@link JdbcStateStore} on this queue's database, which a hand-over can write. */
	private @Nullable JdbcStateStore sameDatabaseStore(StateStore stateStore) {
		return (stateStore instanceof JdbcStateStore store && store.sharesDataSourceWith(this.connections.dataSource()))
				? store : null;
	}

	/** After a hand-over: logs a lost lease; returns whether a successor was queued. */
	private boolean handedOn(JdbcDelivery delivery, Job newState, boolean lost) {
		if (lost) {
			logger.warn(leaseLost(delivery) + ": its new state is dropped, the step runs again elsewhere");
			return false;
		}
		return !newState.status().isFinal();
	}

	/**
	 * Whether hand-overs may wait to commit together: on PostgreSQL, with a hand-over delay, outside any
	 * Spring transaction (a caller's transaction decides when its work commits).
	 */
	private boolean groupsHandOvers() {
		return !this.options.handOverDelay().isZero() && dialect() == JdbcDialect.POSTGRESQL
				&& !this.connections.isTransactionActive();
	}

	/**
	 * Whether another hand-over of this process will come soon to commit with: jobs claimed that no
	 * worker has started yet, or, when the last claim came back full, steps running on other workers.
	 */
	private boolean queueIsDeep() {
		return !this.claimedNotStarted.isEmpty() || (this.nextClaimSize.get() > 1 && !this.inFlight.isEmpty());
	}

	/** Called with the monitor held: empties the waiting hand-overs into a new list. */
	private List<HandOver> takeWaitingHandOvers() {
		List<HandOver> group = new ArrayList<>(this.waitingHandOvers.size() + 1);
		group.addAll(this.waitingHandOvers);
		this.waitingHandOvers.clear();
		this.waitingCount = 0;
		return group;
	}

	/** Called with the monitor held, for the first hand-over of a group. */
	private void scheduleHandOverCommit(JdbcStateStore store) {
		if (this.readersCommitFirst.add(store)) {
			store.beforeRead(this.readBarrier);
		}
		ScheduledExecutorService executor = this.heartbeat;
		if (executor != null) {
			try {
				executor.schedule(this::commitWaitingHandOvers, this.options.handOverDelay().toNanos(),
						TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// closing: close() commits what waits
			}
		}
	}

	/**
	 * Commits the hand-overs that wait: before a claim, when the delay ends, before a read of their
	 * store, and at close. A failure is logged and their rows are given back to run again.
	 */
	void commitWaitingHandOvers() {
		if (this.waitingCount == 0) {
			return;
		}
		List<HandOver> group;
		long sequence;
		synchronized (this.handOverMonitor) {
			group = takeWaitingHandOvers();
			sequence = beginGroup();
		}
		try {
			if (!group.isEmpty()) {
				commitHandOvers(group, null);
			}
		}
		finally {
			endGroup(sequence);
		}
	}

	/** Called with the monitor held, with the group taken: numbers the group for readers to wait on. */
	private long beginGroup() {
		long sequence = ++this.groupsBegun;
		this.groupsCommitting.add(sequence);
		return sequence;
	}

	private void endGroup(long sequence) {
		synchronized (this.handOverMonitor) {
			this.groupsCommitting.remove(sequence);
			this.handOverMonitor.notifyAll();
		}
	}

	/**
	 * Before a read of a store: commits the hand-overs that wait, then waits for the groups that other
	 * threads began to commit before, so that the read sees every hand-over that returned before it.
	 */
	private void commitBeforeRead() {
		commitWaitingHandOvers();
		boolean interrupted = false;
		synchronized (this.handOverMonitor) {
			long begun = this.groupsBegun;
			while (!this.groupsCommitting.isEmpty() && this.groupsCommitting.first() <= begun) {
				try {
					this.handOverMonitor.wait();
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
	 * Commits a group of hand-overs in one transaction. When it fails, the rows of the others are given
	 * back (their steps run again) and the failure is thrown for {@code own}, whose delivery the
	 * engine then releases.
	 */
	private void commitHandOvers(List<HandOver> group, @Nullable HandOver own) {
		boolean[] lost;
		try (Connection connection = this.connections.own()) {
			// a hand-over alone is one statement, atomic in auto-commit: no transaction round trips
			lost = (group.size() == 1 && connection.getAutoCommit()) ? handOver(connection, group)
					: Connections.inOwnTransaction(connection, (tx) -> handOver(tx, group));
		}
		catch (SQLException | RuntimeException ex) {
			for (HandOver handOver : group) {
				if (handOver != own) {
					logger.error("Handing over job {} (row {} of {}) failed; its step runs again", handOver.newState().id(),
							handOver.delivery().rowId, this.queueTable, (own == null) ? ex : null);
					giveBackAfterFailedHandOver(handOver.delivery());
				}
			}
			if (own != null) {
				throw new ErgateJdbcException("Completing the delivery of job " + own.newState().id() + " (row "
						+ own.delivery().rowId + " of " + this.queueTable + ") failed", ex);
			}
			return;
		}
		boolean successors = false;
		for (int i = 0; i < group.size(); i++) {
			successors |= handedOn(group.get(i).delivery(), group.get(i).newState(), lost[i]);
		}
		if (successors) {
			this.signal.bump();
		}
	}

	private void giveBackAfterFailedHandOver(JdbcDelivery delivery) {
		try {
			release(delivery, false);
		}
		catch (RuntimeException ex) {
			logger.warn("Giving back row {} of {} failed; it is claimable again when its lease ends", delivery.rowId,
					this.queueTable, ex);
		}
	}

	/** Deletes the claimed row, writes the state when the store is ours, inserts the successor. */
	private boolean completeInTransaction(JdbcDelivery delivery, Job newState, @Nullable JdbcStateStore jdbcStore)
			throws SQLException {
		return this.connections.inTransaction((connection) -> {
			if (deleteClaimed(connection, delivery.rowId, delivery.deliveryCount) == 0) {
				if (this.connections.isExternallyManaged(connection)) {
					throw new IllegalStateException(leaseLost(delivery));
				}
				return true;
			}
			if (jdbcStore != null) {
				jdbcStore.upsert(connection, newState);
			}
			if (!newState.status().isFinal()) {
				// no NOTIFY: the worker completing this delivery takes again at once
				insert(connection, List.of(newState));
			}
			return false;
		});
	}

	/**
	 * PostgreSQL: deletes the claimed row and, only when that succeeded, upserts the state and inserts
	 * the successor, in one statement (one round trip, atomic even in auto-commit).
	 * @return whether the lease was lost
	 */
	private boolean completeInOneStatement(JdbcDelivery delivery, Job newState, JdbcStateStore store)
			throws SQLException {
		Connection connection = this.connections.shared();
		try {
			boolean lost = handOver(connection, List.of(new HandOver(delivery, newState, store)))[0];
			if (lost && this.connections.isExternallyManaged(connection)) {
				throw new IllegalStateException(leaseLost(delivery));
			}
			return lost;
		}
		finally {
			this.connections.release(connection);
		}
	}

	/**
	 * The PostgreSQL hand-over, one statement a job: deletes the claimed row and, only when that
	 * succeeded, upserts the state and inserts the successor. Several go in one batch (one round
	 * trip). Returns, for each, whether the lease was lost (nothing changed for it then).
	 */
	private boolean[] handOver(Connection connection, List<HandOver> group) throws SQLException {
		boolean[] lost = new boolean[group.size()];
		// one batch per statement: per store, with or without a successor
		Map<String, List<Integer>> batches = new LinkedHashMap<>();
		for (int i = 0; i < group.size(); i++) {
			HandOver handOver = group.get(i);
			String[] sql = this.handOverSql.computeIfAbsent(handOver.store(), this::handOverSql);
			batches.computeIfAbsent(sql[handOver.newState().status().isFinal() ? 1 : 0], (key) -> new ArrayList<>())
				.add(i);
		}
		long now = this.clock.millis();
		for (Map.Entry<String, List<Integer>> batch : batches.entrySet()) {
			List<Integer> indexes = batch.getValue();
			try (PreparedStatement statement = connection.prepareStatement(batch.getKey())) {
				for (int i : indexes) {
					HandOver handOver = group.get(i);
					statement.setLong(1, handOver.delivery().rowId);
					statement.setString(2, this.instanceId);
					statement.setInt(3, handOver.delivery().deliveryCount);
					int index = handOver.store().bindPostgresUpsert(statement, 4, handOver.newState());
					if (!handOver.newState().status().isFinal()) {
						bindInsert(statement, index, handOver.newState(), now);
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
	 * lease was lost.
	 */
	private String[] handOverSql(JdbcStateStore store) {
		String delete = "WITH d AS (DELETE FROM " + this.queueTable + CLAIMED_ROW + " RETURNING id)";
		String withSuccessor = delete + ", s AS (" + store.postgresUpsert("d") + ") INSERT INTO " + this.queueTable
				+ QUEUE_COLUMNS + " SELECT ?, ?, " + JdbcDialect.POSTGRESQL.jsonParameter() + ", ?, 0, ? FROM d";
		return new String[] { withSuccessor, delete + " " + store.postgresUpsert("d") };
	}

	/** A step's hand-over: the delivery it completes, the job's new state and the store to write it to. */
	private record HandOver(JdbcDelivery delivery, Job newState, JdbcStateStore store) {
	}

	void acknowledge(JdbcDelivery delivery) {
		this.inFlight.remove(delivery);
		try {
			int deleted = this.connections.inTransaction(
					(connection) -> deleteClaimed(connection, delivery.rowId, delivery.deliveryCount));
			if (deleted == 0) {
				logger.warn(leaseLost(delivery) + ": not acknowledged");
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Acknowledging row " + delivery.rowId + " of " + this.queueTable + " failed",
					ex);
		}
	}

	/** Gives a row back: claimable again at once. Unstarted rows do not count as delivered. */
	void release(JdbcDelivery delivery, boolean unstarted) {
		release(delivery, unstarted, 0);
	}

	/** Gives a row back, claimable again once the delay has passed (behind the rows due before). */
	void release(JdbcDelivery delivery, boolean unstarted, long delayMs) {
		this.inFlight.remove(delivery);
		String sql = "UPDATE " + this.queueTable + " SET claimed_by = NULL, lease_until = NULL"
				+ (unstarted ? ", delivery_count = delivery_count - 1" : "")
				+ ((delayMs > 0) ? ", ready_at = " + (this.clock.millis() + delayMs) : "")
				+ CLAIMED_ROW;
		try (Connection connection = this.connections.own()) {
			Connections.inOwnTransaction(connection, (tx) -> {
				dialect(tx).relaxCommit(tx);
				try (PreparedStatement statement = tx.prepareStatement(sql)) {
					statement.setLong(1, delivery.rowId);
					statement.setString(2, this.instanceId);
					statement.setInt(3, delivery.deliveryCount);
					return statement.executeUpdate();
				}
			});
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Releasing row " + delivery.rowId + " of " + this.queueTable + " failed", ex);
		}
		this.signal.bump();
	}

	private void giveBack(JdbcDelivery delivery) {
		if (!delivery.takeBack()) {
			return;
		}
		try {
			release(delivery, true);
		}
		catch (RuntimeException ex) {
			logger.warn("Giving back row {} of {} failed; it is claimable again when its lease ends", delivery.rowId,
					this.queueTable, ex);
		}
	}

	/**
	 * Rows claimed in a batch wait for this process's workers; when none has come to take one for a
	 * poll interval (the engine stopped, or every worker is busy with a long step), they are given
	 * back for other processes to run.
	 */
	private void giveBackWhenNoWorkerTakes() {
		if (!this.claimedNotStarted.isEmpty()
				&& System.nanoTime() - this.lastTakeNanos > this.options.pollInterval().toNanos()) {
			giveBackClaimedNotStarted();
		}
	}

	private void giveBackClaimedNotStarted() {
		JdbcDelivery delivery;
		while ((delivery = this.claimedNotStarted.pollFirst()) != null) {
			giveBack(delivery);
		}
	}

	private int deleteClaimed(Connection connection, long rowId, int deliveryCount) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.deleteClaimed)) {
			statement.setLong(1, rowId);
			statement.setString(2, this.instanceId);
			statement.setInt(3, deliveryCount);
			return statement.executeUpdate();
		}
	}

	private String leaseLost(JdbcDelivery delivery) {
		return "The lease of job " + delivery.job().id() + " (row " + delivery.rowId + " of " + this.queueTable
				+ ", delivery " + delivery.deliveryCount + ") was lost: another worker claimed it after the lease of "
				+ this.options.leaseDuration() + " ended";
	}

	// --- writing

	private void insert(Connection connection, Collection<Job> jobs) throws SQLException {
		JdbcDialect dialect = dialect(connection);
		String sql = "INSERT INTO " + this.queueTable + QUEUE_COLUMNS + " VALUES (?, ?, " + dialect.jsonParameter()
				+ ", ?, 0, ?)";
		long now = this.clock.millis();
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (Job job : jobs) {
				bindInsert(statement, 1, job, now);
				if (jobs.size() == 1) {
					statement.executeUpdate();
				}
				else {
					statement.addBatch();
				}
			}
			if (jobs.size() > 1) {
				statement.executeBatch();
			}
		}
	}

	/** Binds job_id, workflow_name, payload, ready_at and enqueued_at from the given index. */
	private void bindInsert(PreparedStatement statement, int start, Job job, long now) throws SQLException {
		Object id = job.id();
		long readyAt = (job.requestedStartTime() != null) ? Math.max(now, job.requestedStartTime().toEpochMilli()) : now;
		statement.setString(start, (id != null) ? JobKeys.key(this.mapper, id) : null);
		statement.setString(start + 1, job.workflowName());
		statement.setString(start + 2, this.mapper.writeValueAsString(job));
		statement.setLong(start + 3, readyAt);
		statement.setLong(start + 4, now);
	}

	private void notifyWorkers(Connection connection) throws SQLException {
		if (!this.options.listenNotify() || !dialect(connection).supportsListenNotify()) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, '')")) {
			statement.setString(1, this.channel);
			statement.executeQuery().close();
		}
	}

	// --- background work

	private void heartbeat() {
		try {
			long maxAge = TimeUnit.MILLISECONDS.toNanos(this.options.leaseDuration().toMillis() / 2);
			for (JdbcDelivery delivery : this.claimedNotStarted) {
				if (System.nanoTime() - delivery.claimedAtNanos >= maxAge && this.claimedNotStarted.remove(delivery)) {
					giveBack(delivery);
				}
			}
			List<JdbcDelivery> running = new ArrayList<>(this.inFlight);
			if (running.isEmpty()) {
				return;
			}
			String sql = "UPDATE " + this.queueTable + " SET lease_until = ?" + CLAIMED_ROW;
			long leaseUntil = this.clock.millis() + this.options.leaseDuration().toMillis();
			try (Connection connection = this.connections.own()) {
				int[] counts = Connections.inOwnTransaction(connection, (tx) -> {
					dialect(tx).relaxCommit(tx);
					try (PreparedStatement statement = tx.prepareStatement(sql)) {
						for (JdbcDelivery delivery : running) {
							statement.setLong(1, leaseUntil);
							statement.setLong(2, delivery.rowId);
							statement.setString(3, this.instanceId);
							statement.setInt(4, delivery.deliveryCount);
							statement.addBatch();
						}
						return statement.executeBatch();
					}
				});
				for (int i = 0; i < counts.length; i++) {
					JdbcDelivery delivery = running.get(i);
					if (counts[i] == 0 && !delivery.isFinished() && this.inFlight.contains(delivery)) {
						logger.warn(leaseLost(delivery) + " while its step was running");
					}
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Extending the leases of {} failed; retrying in {}", this.queueTable,
					this.options.leaseDuration().dividedBy(3), ex);
		}
	}

	private void listen() {
		Class<?> pgConnection;
		Method getNotifications;
		try {
			pgConnection = Class.forName("org.postgresql.PGConnection", false,
					Thread.currentThread().getContextClassLoader());
			getNotifications = pgConnection.getMethod("getNotifications", int.class);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			try {
				pgConnection = Class.forName("org.postgresql.PGConnection");
				getNotifications = pgConnection.getMethod("getNotifications", int.class);
			}
			catch (ReflectiveOperationException | LinkageError ex2) {
				logger.info("The PostgreSQL JDBC driver's PGConnection is not available: idle workers poll {} every {}",
						this.queueTable, this.options.pollInterval());
				return;
			}
		}
		long failures = 0;
		while (!this.closed) {
			try (Connection connection = this.connections.own()) {
				if (!connection.getAutoCommit()) {
					connection.setAutoCommit(true);
				}
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN \"" + this.channel + "\"");
				}
				Object pg = connection.unwrap(pgConnection);
				this.listening = true;
				failures = 0;
				this.signal.bump();
				while (!this.closed) {
					Object[] notifications = (Object[]) getNotifications.invoke(pg, 250);
					if (notifications != null && notifications.length > 0) {
						this.signal.bump();
					}
				}
			}
			catch (SQLException | ReflectiveOperationException | RuntimeException ex) {
				if (!this.closed) {
					failures++;
					logger.warn("Listening for puts on {} failed; idle workers poll every {} until it is back", this.channel,
							this.options.pollInterval(), ex);
				}
			}
			finally {
				this.listening = false;
			}
			if (!this.closed) {
				try {
					Thread.sleep(Math.min(30_000, 1000 * failures));
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}
	}

	boolean isListening() {
		return this.listening;
	}

	private JdbcDialect dialect() {
		return this.connections.dialect();
	}

	private JdbcDialect dialect(Connection connection) throws SQLException {
		return this.connections.dialect(connection);
	}

	private static String newInstanceId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown";
		}
		String pid;
		try {
			pid = Long.toString(ProcessHandle.current().pid());
		}
		catch (UnsupportedOperationException ex) {
			pid = ManagementFactory.getRuntimeMXBean().getName();
		}
		String random = UUID.randomUUID().toString().substring(0, 8);
		String id = pid + "-" + random + "@" + host;
		return (id.length() > 64) ? id.substring(0, 64) : id;
	}

	private record Row(long id, String payload, int deliveryCount, long readyAt) {
	}

}
