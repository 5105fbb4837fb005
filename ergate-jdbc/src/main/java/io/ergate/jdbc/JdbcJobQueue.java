package io.ergate.jdbc;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.JobDelivery;
import io.ergate.MeasurableJobQueue;
import io.ergate.ReliableJobQueue;
import io.ergate.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>
 * This class is a façade: {@code Claims} claims rows, {@code ClaimedRows} holds them,
 * {@code LeaseKeeper} extends their leases, {@code NotifyListener} listens for puts,
 * {@code HandOvers} ends steps, {@code DeadLetters} moves poison rows aside, all on the statements of
 * {@code QueueTable}.
 */
public final class JdbcJobQueue implements ReliableJobQueue, MeasurableJobQueue, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(JdbcJobQueue.class);

	private static final long NO_WAIT_RETRY_MILLIS = 10;

	private final Connections connections;

	private final JdbcOptions options;

	private final QueueTable table;

	private final Signal signal = new Signal();

	private final ClaimedRows rows;

	private final Claims claims;

	private final DeadLetters deadLetters;

	private final LeaseKeeper leaseKeeper;

	private final NotifyListener listener;

	private final HandOvers handOvers;

	private final JobChanges changes;

	private final Object lifecycleMonitor = new Object();

	private volatile boolean started;

	private volatile boolean closed;

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
		this.table = new QueueTable(options, newInstanceId());
		this.rows = new ClaimedRows(this.connections, this.table, this.signal, options.leaseDuration(),
				options.pollInterval());
		this.deadLetters = new DeadLetters(this.connections, this.table);
		this.claims = new Claims(this.connections, this.table, this.deadLetters, options);
		this.leaseKeeper = new LeaseKeeper(this.connections, this.table, this.rows, options.leaseDuration(),
				options.pollInterval());
		this.listener = new NotifyListener(this.connections, this.table, this.signal, options.pollInterval());
		this.handOvers = new HandOvers(this.connections, this.table, this.rows, this.claims, this.leaseKeeper,
				this.signal, options);
		this.changes = new JobChanges(this.connections, this.table, this.signal, options);
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
		return this.table.instanceId;
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
				insertAndNotify(connection, jobs);
				return null;
			});
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Putting " + jobs.size() + " job(s) on " + this.table.name + " failed", ex);
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
				jdbcStore.table().upsert(connection, job);
				insertAndNotify(connection, List.of(job));
				return null;
			});
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Submitting job " + job.id() + " to " + this.table.name + " failed", ex);
		}
		this.signal.bump();
	}

	private void insertAndNotify(Connection connection, Collection<Job> jobs) throws SQLException {
		JdbcDialect dialect = this.connections.dialect(connection);
		this.table.insert(connection, dialect, jobs);
		this.table.notifyWorkers(connection, dialect);
	}

	@Override
	public JobDelivery take() throws InterruptedException {
		start();
		this.rows.takeBegins();
		while (true) {
			if (this.closed) {
				throw new IllegalStateException("JdbcJobQueue on " + this.table.name + " is closed");
			}
			if (Thread.interrupted()) {
				this.rows.giveBackNotStarted();
				throw new InterruptedException();
			}
			JdbcDelivery delivery = this.rows.startNext();
			if (delivery != null) {
				return delivery;
			}
			// the successors of waiting hand-overs become claimable once they commit
			this.handOvers.commitWaiting();
			long seen = this.signal.version();
			List<JdbcDelivery> claimed = this.claims.claim(this);
			if (claimed == null) {
				continue; // rows were claimed but all were dead-lettered: look again at once
			}
			if (!claimed.isEmpty()) {
				this.rows.claimed(claimed);
				if (Thread.currentThread().isInterrupted()) {
					// stopping: keep nothing back for workers that will not come
					this.rows.giveBackNotStarted();
				}
				return claimed.get(0);
			}
			long now = this.table.clock.millis();
			long waitMillis = this.options.pollInterval().toMillis();
			Long due = this.claims.nextDue();
			if (due != null) {
				waitMillis = Math.min(waitMillis, Math.max(due - now, NO_WAIT_RETRY_MILLIS));
			}
			try {
				this.signal.await(seen, TimeUnit.MILLISECONDS.toNanos(waitMillis));
			}
			catch (InterruptedException ex) {
				// the engine is stopping: give back what no worker will start
				this.rows.giveBackNotStarted();
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
		Long count = measure("SELECT COUNT(*) FROM " + this.table.name, -1);
		return (count != null) ? count : -1;
	}

	/**
	 * Returns how long the oldest due job that no worker holds has waited since it became due.
	 * @return the age, or {@code null} when no job waits or the database cannot be reached
	 */
	@Override
	public @Nullable Duration oldestJobAge() {
		long now = this.table.clock.millis();
		Long oldest = measure("SELECT MIN(ready_at) FROM " + this.table.name
				+ " WHERE ready_at <= ? AND lease_until IS NULL", now);
		return (oldest != null) ? Duration.ofMillis(Math.max(0, now - oldest)) : null;
	}

	/**
	 * Returns how many jobs are held by a worker under a lease that has not expired: the steps running
	 * now (and the rows claimed ahead in batches), in every process sharing the queue.
	 * @return the count, or -1 when the database cannot be reached
	 */
	public long leased() {
		Long count = measure("SELECT COUNT(*) FROM " + this.table.name + " WHERE lease_until > ?",
				this.table.clock.millis());
		return (count != null) ? count : -1;
	}

	private @Nullable Long measure(String sql, long parameter) {
		try (Connection connection = this.connections.own()) {
			return QueueTable.queryLong(connection, sql, parameter);
		}
		catch (SQLException ex) {
			logger.warn("Measuring {} failed: {}", this.table.name, ex.getMessage());
			return null;
		}
	}

	/**
	 * Stops the listener and the heartbeat and gives back the rows claimed but not started. Deliveries
	 * in progress can still be completed; their leases are no longer extended.
	 */
	@Override
	public void close() {
		synchronized (this.lifecycleMonitor) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.leaseKeeper.close();
		}
		this.signal.bump();
		this.handOvers.close();
		this.rows.giveBackNotStarted();
		this.listener.close();
	}

	@Override
	public String toString() {
		return "JdbcJobQueue{table=" + this.table.name + ", instance=" + this.table.instanceId + "}";
	}

	private void start() {
		if (this.started) {
			return;
		}
		synchronized (this.lifecycleMonitor) {
			if (this.started || this.closed) {
				return;
			}
			this.leaseKeeper.start();
			if (this.options.listenNotify() && this.connections.dialect().supportsListenNotify()) {
				this.listener.start("ergate-jdbc-listener-" + this.table.name);
			}
			this.started = true;
		}
	}

	@Override
	public boolean handsOverAtomically(StateStore stateStore) {
		return sameDatabaseStore(stateStore) != null;
	}

	@Override
	public Optional<Job> cancel(Object jobId, StateStore stateStore) {
		this.handOvers.commitWaiting();
		return this.changes.cancel(jobId, requireSameDatabase(stateStore));
	}

	@Override
	public boolean requeue(Job job, JobStatus expected, StateStore stateStore) {
		return this.changes.requeue(job, expected, requireSameDatabase(stateStore));
	}

	private JdbcStateStore requireSameDatabase(StateStore stateStore) {
		JdbcStateStore store = sameDatabaseStore(stateStore);
		if (store == null) {
			throw new IllegalArgumentException("JdbcJobQueue changes jobs in one transaction only with a JdbcStateStore "
					+ "on its database; " + stateStore + " is not one (the engine uses the store's fenced writes then)");
		}
		return store;
	}

	// --- deliveries: JdbcDelivery calls these

	void complete(JdbcDelivery delivery, Job newState, StateStore stateStore) {
		this.rows.finished(delivery);
		JdbcStateStore jdbcStore = sameDatabaseStore(stateStore);
		if (jdbcStore == null) {
			stateStore.update(newState);
		}
		else {
			jdbcStore.settle(newState);
		}
		this.handOvers.handOver(delivery, newState, jdbcStore);
	}

	void acknowledge(JdbcDelivery delivery) {
		this.rows.finished(delivery);
		try {
			int deleted = this.connections.inTransaction(
					(connection) -> this.table.deleteClaimed(connection, delivery.rowId, delivery.deliveryCount));
			if (deleted == 0) {
				logger.warn(this.table.leaseLost(delivery) + ": not acknowledged");
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Acknowledging row " + delivery.rowId + " of " + this.table.name + " failed",
					ex);
		}
	}

	/** Gives a row back: claimable again at once. Unstarted rows do not count as delivered. */
	void release(JdbcDelivery delivery, boolean unstarted) {
		release(delivery, unstarted, 0);
	}

	/** Gives a row back, claimable again once the delay has passed (behind the rows due before). */
	void release(JdbcDelivery delivery, boolean unstarted, long delayMs) {
		this.rows.release(delivery, unstarted, delayMs);
	}

	/** The engine's dead-lettering of a delivered job (unknown workflow, final status, poison). */
	boolean deadLetter(JdbcDelivery delivery, String reason) {
		this.rows.finished(delivery);
		String payload = this.options.jsonMapper().writeValueAsString(delivery.job());
		if (!this.deadLetters.move(delivery.rowId, delivery.deliveryCount, payload, reason)) {
			throw new IllegalStateException("Moving job " + delivery.job().id() + " (row " + delivery.rowId + " of "
					+ this.table.name + ") to " + this.table.deadLetterName
					+ " failed: its lease was lost or the database refused it");
		}
		return true;
	}

	boolean isListening() {
		return this.listener.isListening();
	}

	/** The store when it is a {@link JdbcStateStore} on this queue's database, which a hand-over can write. */
	private @Nullable JdbcStateStore sameDatabaseStore(StateStore stateStore) {
		return (stateStore instanceof JdbcStateStore store && store.sharesDataSourceWith(this.connections.dataSource()))
				? store : null;
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

}
