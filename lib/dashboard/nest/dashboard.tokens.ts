/** The resolved dashboard options (ResolvedDashboardOptions). */
export const DASHBOARD_OPTIONS = Symbol('task-queue:dashboard-options');
