/** Every message the dashboard throws or answers with, in one place (tests import these). */
export const DashboardMessages = {
  unguardedInProduction: () =>
    'TaskQueueDashboardModule is an admin surface: with NODE_ENV=production it needs `guards` (who may see and act), ' +
    'or `allowUnauthenticated: true` if you protect it some other way (a private network, a proxy with auth).',
  readOnly: () => 'This dashboard is read-only (readOnly: true): actions are refused.',
  crossSite: () => 'Refused: a dashboard action must come from the dashboard itself (same origin).',
  badToken: () =>
    'Refused: a dashboard action needs the X-CSRF-Token header equal to the ntq_dashboard_csrf cookie (the page sends both).',
  unknownTask: (id: string) => `No task ${JSON.stringify(id)} (unknown, or removed by retention).`,
  unsupported: (feature: string) => `This task queue does not support ${feature}.`,
  badQuery: (name: string, expected: string) => `Expected query parameter \`${name}\` to be ${expected}.`,
} as const;
