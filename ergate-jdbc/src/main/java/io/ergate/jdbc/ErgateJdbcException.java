package io.ergate.jdbc;

/**
 * Thrown when the database refuses or fails an operation of the JDBC queue or state store. The
 * message names the operation and the table; the cause is the driver's {@link java.sql.SQLException}.
 */
public class ErgateJdbcException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what failed
	 * @param cause the driver's exception
	 */
	public ErgateJdbcException(String message, Throwable cause) {
		super(message, cause);
	}

}
