const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | undefined)?.code;
}

/**
 * Whether an error means the database could not be reached or went away (rather than a statement failing):
 * socket errors, SQLSTATE class 08 (connection exception), 57P0x (shutdown), 53300 (too many connections),
 * and pg's own "Connection terminated" / connect timeout errors.
 */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  if (typeof code === 'string') {
    if (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('57P') || code === '53300') return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/i.test(message);
}

/** SQLSTATEs after which the same statement may simply run again: deadlock, serialization failure. */
export function isRetryable(error: unknown): boolean {
  const code = codeOf(error);
  return code === '40P01' || code === '40001';
}

/**
 * SQLSTATEs that blame a statement's data, not the database's health: class 22 (data exception: a character or
 * time the types refuse, such as U+0000 in jsonb), 23 (integrity constraint), 54 (program limit, e.g. an index row
 * too large). In a batch, one member's data.
 */
export function isDataError(error: unknown): boolean {
  const code = codeOf(error);
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code.startsWith('54'));
}

/** Data the database refuses to add: a data error but an integrity one (an id taken meanwhile is the adder's). */
export function isRefusedData(error: unknown): boolean {
  return isDataError(error) && !String(codeOf(error)).startsWith('23');
}

/**
 * SQLSTATEs of a named prepared statement that its connection already has (42P05) or does not have (26000): what
 * a transaction-mode pooler causes, handing the statement's server connection to another client.
 */
export function isPreparedStatementClash(error: unknown): boolean {
  const code = codeOf(error);
  return code === '42P05' || code === '26000';
}

/** SQLSTATEs that mean the schema is not there: 3F000 no such schema, 42P01 no such table. */
export function isMissingSchema(error: unknown): boolean {
  const code = codeOf(error);
  return code === '3F000' || code === '42P01';
}

/** An error's message, with its SQLSTATE or system code if the message does not already say it. */
export function describeError(error: unknown): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
