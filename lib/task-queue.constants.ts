/** Logger context of everything this library logs. */
export const LOGGER_CONTEXT = 'TaskQueue';
/**
 * The longest a Node timer waits (2^31 - 1 ms, about 24.8 days): a longer one fires at once (with a warning), so
 * every timer for a far deadline waits at most this and re-arms for the rest.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
