package io.ergate.sample;

import org.jspecify.annotations.Nullable;

/**
 * The user context of an {@code order_workflow} job: who ordered, and where, such as
 * {@code {"customer": "Ada", "country": "FR", "currency": "EUR"}}. Every field may be left out.
 *
 * @param customer the customer's name; "customer" when not given
 * @param country an ISO country code, such as {@code FR}, which sets the tax rate; the default rate
 * when not given or not listed
 * @param currency the currency of the prices; EUR when not given
 */
record OrderContext(@Nullable String customer, @Nullable String country, @Nullable String currency) {

}
