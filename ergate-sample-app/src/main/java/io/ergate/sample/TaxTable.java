package io.ergate.sample;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Tax rates by country: a bean injected into {@link TaxRateProvider}.
 */
@Component
class TaxTable {

	private final Map<String, Double> rates = Map.of("FR", 0.20, "DE", 0.19, "US", 0.0);

	/** The rate of a country that is not listed, or not given. */
	static final double DEFAULT_RATE = 0.1;

	/**
	 * Returns the tax rate of a country.
	 * @param country an ISO country code, or {@code null} when the order names none
	 * @return the rate, {@link #DEFAULT_RATE} when the country is not listed or not given
	 */
	double rate(@Nullable String country) {
		Double rate = (country != null) ? this.rates.get(country) : null;
		return (rate != null) ? rate : DEFAULT_RATE;
	}

}
