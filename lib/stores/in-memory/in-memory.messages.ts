/** What the in-memory store logs. */
export const InMemoryMessages = {
  droppingPending: (pending: number) =>
    `Dropping ${pending} pending task(s): the in-memory store keeps nothing after the application stops`,
  notCopyable: (what: string, reason: string) =>
    `${what} cannot be copied by the in-memory store (it keeps a structured clone, taken at schedule()): ${reason}. Pass data, not functions or symbols.`,
} as const;
