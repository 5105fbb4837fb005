package io.ergate.sample;

import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The prices of the items one can order: a Spring bean that steps ask for as a parameter.
 */
@Component
class PriceCatalog {

	private final Map<String, Double> prices = Map.of("book", 12.5, "pen", 1.2, "lamp", 30.0);

	/**
	 * Returns the price of an item.
	 * @param item an item name
	 * @return its price
	 * @throws IllegalArgumentException for an unknown item: the job fails with this message
	 */
	double price(String item) {
		Double price = this.prices.get(item);
		if (price == null) {
			throw new IllegalArgumentException("No item named \"" + item + "\" (known: " + this.prices.keySet() + ")");
		}
		return price;
	}

}
