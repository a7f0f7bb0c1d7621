/**
 * How much one order and one client may hold, so that nobody can reserve a shop's stock away
 * from everyone else. A reservation lasts as long as its Checkout session
 * (CHECKOUT_EXPIRES_MINUTES); a client renews one only by coming back to the same checkout,
 * never by starting more. Shared by the cart (which clamps to them) and the checkout (which
 * enforces them).
 */

/** Units of one product in one order (lines for the same product are added up first). */
export const MAX_UNITS_PER_PRODUCT = 10;

/** Units in one order, all products together. */
export const MAX_UNITS_PER_ORDER = 30;

/** Units one client address may hold reserved at once, over all its unpaid checkouts. */
export const MAX_RESERVED_UNITS_PER_CLIENT = 30;

/**
 * The most one line of a checkout request may ask for. Above it the request is malformed;
 * up to it, the limits above answer with their own message.
 */
export const MAX_REQUEST_LINE_QUANTITY = 99;
