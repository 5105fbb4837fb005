/**
 * A durable {@link io.ergate.ReliableJobQueue} and {@link io.ergate.QueryableStateStore} on a
 * relational database through JDBC: PostgreSQL first, H2 and MariaDB/MySQL 8 too.
 * <p>
 * {@link io.ergate.jdbc.JdbcJobQueue} claims jobs with {@code SELECT ... FOR UPDATE SKIP LOCKED}
 * under a lease, {@link io.ergate.jdbc.JdbcStateStore} keeps one row per job, and when both use the
 * same {@link javax.sql.DataSource} a step's outcome is committed in one transaction.
 * {@link io.ergate.jdbc.JdbcSchema} creates the tables, {@link io.ergate.jdbc.JdbcOptions} holds the
 * settings.
 */
@NullMarked
package io.ergate.jdbc;

import org.jspecify.annotations.NullMarked;
