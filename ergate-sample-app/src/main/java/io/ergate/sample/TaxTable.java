package io.ergate.sample;

import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Tax rates by country: a bean injected into {@link TaxRateProvider}.
 */
@Component
class TaxTable {

	private final Map<String, Double> rates = Map.of("FR", 0.20, "DE", 0.19, "US", 0.0);

	/**
	 * Returns the tax rate of a country.
	 * @param country an ISO country code
	 * @return the rate, 0.1 when the country is not listed
	 */
	double rate(String country) {
		return this.rates.getOrDefault(country, 0.1);
	}

}
