/**
 * Auto-configuration of the JDBC queue and state store of {@code ergate-jdbc}:
 * {@link io.ergate.autoconfigure.jdbc.ErgateJdbcAutoConfiguration} and its {@code ergate.jdbc.*}
 * properties ({@link io.ergate.autoconfigure.jdbc.ErgateJdbcProperties}).
 */
@NullMarked
package io.ergate.autoconfigure.jdbc;

import org.jspecify.annotations.NullMarked;
