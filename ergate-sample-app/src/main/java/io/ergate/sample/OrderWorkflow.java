package io.ergate.sample;

import java.util.List;
import java.util.Locale;

import io.ergate.Context;
import io.ergate.Depends;
import io.ergate.ErgateWorkflow;
import io.ergate.Input;
import io.ergate.Step;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A workflow in the annotation style that uses a bean ({@link PriceCatalog}), a dependency
 * ({@link TaxRateProvider}) and the job's user context ({@link OrderContext}, optional). Input: the
 * list of items ordered, such as {@code ["book", "pen"]}.
 */
@Component
@ErgateWorkflow("order_workflow")
class OrderWorkflow {

	private static final Logger logger = LoggerFactory.getLogger(OrderWorkflow.class);

	@Step(order = 1, name = "price_items")
	double priceItems(@Input List<String> items, PriceCatalog catalog) {
		return items.stream().mapToDouble(catalog::price).sum();
	}

	@Step(order = 2, name = "add_tax")
	double addTax(@Input double subtotal, @Depends(TaxRateProvider.class) double taxRate) {
		return Math.round(subtotal * (1 + taxRate) * 100) / 100.0;
	}

	@Step(order = 3, name = "send_receipt")
	String sendReceipt(@Input double total, @Context @Nullable OrderContext order) {
		String customer = (order != null && order.customer() != null) ? order.customer() : "customer";
		String currency = (order != null && order.currency() != null) ? order.currency() : "EUR";
		String receipt = "Receipt for " + customer + ": " + String.format(Locale.ROOT, "%.2f", total) + " " + currency;
		logger.info("Sending \"{}\"", receipt);
		return receipt;
	}

}
