package io.ergate.sample;

import io.ergate.Context;
import org.jspecify.annotations.Nullable;

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
	 * @param order the job's user context, {@code null} when the job has none
	 * @return the rate of the order's country; the default rate when it names no country
	 */
	public double provide(@Context @Nullable OrderContext order) {
		return this.taxTable.rate((order != null) ? order.country() : null);
	}

}
