/** Logger context of everything this library logs. */
export const LOGGER_CONTEXT = 'TaskQueue';
