export interface TaskQueueHealthOptions {
  /** The store must answer `counts()` within this, ms. Default 1,000. */
  storeTimeout?: number;
  /**
   * Down when the oldest due task that nothing holds back has waited longer than this past its runAt, ms;
   * false: not checked. Needs a store with `backlog()` (others report no age). Default 300,000 (5 min).
   */
  maxOldestDueAge?: number | false;
  /** Down once this many claims in a row have failed. Default 3. */
  maxClaimFailures?: number;
}
