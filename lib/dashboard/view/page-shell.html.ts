import { escapeHtml } from './html.escape.js';

export type DashboardPage = 'overview' | 'tasks' | 'task';

export interface PageShell {
  /** The dashboard's URL path, with the app's global prefix: `/api/task-queue`. */
  base: string;
  page: DashboardPage;
  taskId?: string;
  readOnly: boolean;
  csrfToken: string;
}

const TITLES: Record<DashboardPage, string> = { overview: 'Overview', tasks: 'Tasks', task: 'Task' };

/**
 * The page every dashboard URL answers with: the layout, and the data the script needs as attributes (escaped).
 * The script (client/dashboard.client.ts) reads the JSON API and fills `main`, with text nodes only.
 */
export function renderPageShell(shell: PageShell): string {
  const base = escapeHtml(shell.base);
  const title = shell.page === 'task' ? `Task ${shell.taskId ?? ''}` : TITLES[shell.page];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Task queue</title>
<link rel="icon" href="${base}/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${base}/assets/dashboard.css">
<script src="${base}/assets/dashboard.js" defer></script>
</head>
<body data-base="${base}" data-page="${shell.page}" data-task-id="${escapeHtml(shell.taskId ?? '')}" data-read-only="${shell.readOnly}" data-csrf="${escapeHtml(shell.csrfToken)}">
<header class="top">
<a class="brand" href="${base}">Task queue</a>
<nav><a href="${base}">Overview</a><a href="${base}/tasks">Tasks</a><a href="${base}/tasks?status=failed">Failed</a></nav>
<span id="live" class="live" title="Live updates">connecting</span>
</header>
<main id="main"><noscript>This dashboard needs JavaScript (its own script only).</noscript><p class="muted">Loading…</p></main>
</body>
</html>
`;
}
