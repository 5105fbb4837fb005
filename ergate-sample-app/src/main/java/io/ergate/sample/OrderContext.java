package io.ergate.sample;

/**
 * The user context of an {@code order_workflow} job: who ordered, and where.
 *
 * @param customer the customer's name
 * @param country an ISO country code, such as {@code FR}, which sets the tax rate
 * @param currency the currency of the prices
 */
record OrderContext(String customer, String country, String currency) {

}
