/**
 * Ergate jdbc support for Spring applications: the beans the auto-configuration declares.
 */
@NullMarked
package io.ergate.spring.jdbc;

import org.jspecify.annotations.NullMarked;
