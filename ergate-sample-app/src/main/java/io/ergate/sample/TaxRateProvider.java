package io.ergate.sample;

import io.ergate.Context;

/**
 * A {@code @Depends} provider: gives a step the tax rate of the customer's country, read from the
 * job's user context. It is not a bean: the starter creates it once and autowires its constructor.
 */
public class TaxRateProvider {

	private final TaxTable taxTable;

	/**
	 * Creates the provider.
	 * @param taxTable the tax rates, a bean
	 */
	TaxRateProvider(TaxTable taxTable) {
		this.taxTable = taxTable;
	}

	/**
	 * Provides the tax rate for one step run.
	 * @param order the job's user context
	 * @return the rate
	 */
	public double provide(@Context OrderContext order) {
		return this.taxTable.rate(order.country());
	}

}
