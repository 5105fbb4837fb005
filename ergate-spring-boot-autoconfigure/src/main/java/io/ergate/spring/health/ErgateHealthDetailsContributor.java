package io.ergate.spring.health;

import java.util.Map;

/**
 * Adds details to the {@code ergate} health indicator, for example a queue's connection or a store's
 * lease count. Beans of this type are asked, in order, on every health check; one that throws makes
 * the indicator {@code DOWN} with its exception. This interface does not depend on Spring Boot's
 * health module, so an adapter's auto-configuration can declare such a bean whether or not Actuator
 * is present.
 */
@FunctionalInterface
public interface ErgateHealthDetailsContributor {

	/**
	 * Adds details.
	 * @param details the indicator's details so far; add entries under keys of your own
	 * @throws Exception when the component is not healthy
	 */
	void contributeDetails(Map<String, Object> details) throws Exception;

}
