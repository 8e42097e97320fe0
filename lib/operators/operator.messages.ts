/** Messages of the operator calls (retry, remove, purge), for their errors and their tests. */
export const OperatorMessages = {
  unsupported: (operation: string, store: string) =>
    `${store} does not support ${operation}(): it has no \`${operation}\` method (the built-in stores have it).`,
  purgeStatus: () => "a finished status ('succeeded', 'failed' or 'cancelled') or a non-empty array of them",
} as const;
