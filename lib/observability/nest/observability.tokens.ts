/** The module's options, checked and with `true` made `{}` (internal). */
export const RESOLVED_OBSERVABILITY_OPTIONS = Symbol('task-queue:observability-options');
