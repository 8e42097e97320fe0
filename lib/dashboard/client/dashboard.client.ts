// The page script, as the dashboard serves it (assets/dashboard.js): hand-made, no dependency, no build step,
// shipped inside the package (no CDN). Plain browser JavaScript in a string, so that tsc ships it as it is;
// test/dashboard/dashboard-assets.spec.ts checks that it parses. Everything it shows is a DOM text node.
export const DASHBOARD_SCRIPT = String.raw`'use strict';
// The dashboard's page script: reads the JSON API, builds the page from DOM nodes (text is always a text node,
// never markup), acts through POSTs that carry the anti-CSRF token, and reloads its data on each server-sent event.
(() => {
  const body = document.body;
  const BASE = body.dataset.base;
  const PAGE = body.dataset.page;
  const TASK_ID = body.dataset.taskId;
  const READ_ONLY = body.dataset.readOnly === 'true';
  const CSRF = body.dataset.csrf;
  const STATUSES = ['pending', 'waiting', 'running', 'succeeded', 'failed', 'cancelled'];
  const main = document.getElementById('main');
  const live = document.getElementById('live');
  const SVG = 'http://www.w3.org/2000/svg';

  const append = (el, children) => {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  };
  const h = (tag, attrs, ...children) => {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    return append(el, children);
  };
  const svg = (tag, attrs, ...children) => {
    const el = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, String(value));
    return append(el, children);
  };

  const taskUrl = (id) => BASE + '/tasks/' + encodeURIComponent(id);
  const listUrl = (query) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, value);
    const search = params.toString();
    return BASE + '/tasks' + (search ? '?' + search : '');
  };
  const pad = (n) => String(n).padStart(2, '0');
  const time = (iso) => {
    if (!iso) return '';
    const d = new Date(iso);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' +
      pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  };
  const duration = (ms) => {
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    if (ms < 3600000) return Math.round(ms / 60000) + ' min';
    return (ms / 3600000).toFixed(1) + ' h';
  };
  const json = (value) => JSON.stringify(value, null, 2);
  const statusBadge = (status, attrs) => h('span', Object.assign({ class: 'status status-' + status }, attrs), status);

  const api = async (path, options) => {
    const response = await fetch(BASE + '/api' + path, Object.assign({ credentials: 'same-origin' }, options));
    const text = await response.text();
    let data;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!response.ok) {
      const error = new Error((data && data.message) || response.status + ' ' + response.statusText);
      error.status = response.status;
      throw error;
    }
    return data;
  };
  const act = (path, payload) =>
    api(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': CSRF },
      body: JSON.stringify(payload || {}),
    });

  const flash = h('p', { id: 'flash', class: 'flash', role: 'status' });
  const say = (text, kind) => {
    flash.textContent = text;
    flash.className = 'flash ' + (kind || 'info');
  };
  /** A button with a visible label that runs an action, then says how it went and reloads the data. */
  const button = (label, run, attrs) =>
    h('button', Object.assign({ type: 'button', onclick: async (event) => {
      const target = event.currentTarget;
      target.disabled = true;
      try {
        say(await run(), 'ok');
      } catch (error) {
        say(label + ' failed: ' + error.message, 'error');
      } finally {
        target.disabled = false;
        refresh();
      }
    } }, attrs), label);
  const section = (title, ...content) => h('section', { class: 'panel' }, h('h2', null, title), content);
  const none = (why) => h('p', { class: 'muted none' }, 'none', why ? ' (' + why + ')' : '');
  const table = (head, rows, attrs) =>
    h('table', attrs, h('thead', null, h('tr', null, head.map((c) => h('th', null, c)))), h('tbody', null, rows));

  // --- Overview ---
  const chart = (minutes) => {
    const width = 600;
    const height = 120;
    const slot = width / minutes.length;
    const max = Math.max(1, ...minutes.map((m) => Math.max(m.succeeded, m.failed)));
    const bars = minutes.map((m, i) => {
      const ok = (m.succeeded / max) * (height - 10);
      const bad = (m.failed / max) * (height - 10);
      return svg('g', null,
        svg('title', null, time(new Date(m.at).toISOString()).slice(11, 16) + ': ' + m.succeeded + ' succeeded, ' + m.failed + ' failed'),
        svg('rect', { class: 'bar-ok', x: i * slot + 1, y: height - ok, width: slot / 2 - 1, height: ok }),
        svg('rect', { class: 'bar-failed', x: i * slot + slot / 2, y: height - bad, width: slot / 2 - 1, height: bad }));
    });
    const total = (key) => minutes.reduce((sum, m) => sum + m[key], 0);
    return [
      svg('svg', { class: 'chart', viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'Tasks finished per minute' },
        svg('line', { class: 'axis', x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }), bars),
      h('p', { class: 'muted legend' }, h('span', { class: 'key-ok' }, 'succeeded ' + total('succeeded')), ' · ',
        h('span', { class: 'key-failed' }, 'failed ' + total('failed')), ' in the last hour, per minute (this process)'),
    ];
  };
  const pauseButtons = (data, handler) => {
    if (READ_ONLY || !data.features.pause) return null;
    const paused = handler === undefined ? data.paused && data.paused.queue : data.paused && data.paused.handlers.includes(handler);
    const what = handler === undefined ? 'queue' : handler;
    return paused
      ? button(handler === undefined ? 'Resume queue' : 'Resume', async () => (await act('/resume', { handler }), 'Resumed ' + what))
      : button(handler === undefined ? 'Pause queue' : 'Pause', async () => (await act('/pause', { handler }), 'Paused ' + what));
  };
  const renderOverview = (data) => {
    const statuses = Object.keys(data.counts);
    const cards = h('div', { class: 'cards' }, statuses.map((status) =>
      h('a', { class: 'card status-' + status, href: listUrl({ status }), 'data-count': status },
        h('span', { class: 'count' }, data.counts[status]), h('span', { class: 'label' }, status))));
    const backlog = data.backlog
      ? h('dl', { class: 'facts' }, h('dt', null, 'Due now'), h('dd', { 'data-backlog': 'due' }, data.backlog.due),
          h('dt', null, 'Delayed'), h('dd', { 'data-backlog': 'delayed' }, data.backlog.delayed),
          h('dt', null, 'Oldest due waited'), h('dd', { 'data-backlog': 'oldest' }, duration(data.backlog.oldestDueAgeMs)))
      : none('the store reports no backlog');
    const queueState = data.paused
      ? h('p', null, 'The queue is ', h('strong', { id: 'queue-state' }, data.paused.queue ? 'paused' : 'running'), ' ', pauseButtons(data))
      : h('p', null, 'Paused handlers: ', none('this queue cannot pause'));
    const byHandler = data.byHandler;
    const handlers = byHandler ? Object.keys(byHandler).sort() : [];
    const handlerTable = !byHandler ? none('the store cannot count by handler') : handlers.length === 0 ? none() :
      table(['Handler'].concat(statuses, data.features.pause ? ['Paused', ''] : []), handlers.map((name) =>
        h('tr', { 'data-handler': name },
          h('td', null, h('a', { href: listUrl({ handler: name }) }, name)),
          statuses.map((status) => h('td', { class: 'num' }, (byHandler[name][status] || 0) > 0
            ? h('a', { href: listUrl({ handler: name, status }) }, byHandler[name][status]) : '0')),
          data.features.pause ? [h('td', null, data.paused && data.paused.handlers.includes(name) ? 'paused' : ''), h('td', null, pauseButtons(data, name))] : [])));
    const workers = data.workers === null ? none('this queue does not list workers') : data.workers.length === 0 ? none() :
      table(['Worker', 'Host', 'PID', 'Handlers', 'Running', 'Concurrency', 'Started', 'Last seen'], data.workers.map((w) =>
        h('tr', null, h('td', null, w.id), h('td', null, w.hostname), h('td', { class: 'num' }, w.pid),
          h('td', null, Array.isArray(w.handlers) ? w.handlers.join(', ') : ''), h('td', { class: 'num' }, w.running),
          h('td', { class: 'num' }, w.concurrency), h('td', null, time(w.startedAt)), h('td', null, time(w.lastSeenAt)))));
    const recurring = data.recurring === null ? none('this queue has no recurring schedules') : data.recurring.length === 0 ? none() :
      table(['Schedule', 'Handler', 'When', 'Next run', 'Last run', 'Last task'], data.recurring.map((r) =>
        h('tr', null, h('td', null, r.key), h('td', null, r.handler),
          h('td', null, r.cron ? r.cron + (r.timezone ? ' (' + r.timezone + ')' : '') : r.every ? 'every ' + duration(r.every) : ''),
          h('td', null, time(r.nextRunAt)), h('td', null, time(r.lastRunAt)),
          h('td', null, r.lastTaskId ? h('a', { href: taskUrl(r.lastTaskId) }, String(r.lastTaskId).slice(0, 8)) : ''))));
    return [
      h('h1', null, 'Overview'),
      section('Tasks by status', cards),
      section('Backlog', backlog, queueState),
      section('By handler', handlerTable),
      section('Live workers', workers),
      section('Recurring schedules', recurring),
      section('Finished per minute', chart(data.activity)),
    ];
  };

  // --- Task list ---
  const query = new URLSearchParams(location.search);
  const filters = { status: query.get('status') || '', handler: query.get('handler') || '', id: query.get('id') || '' };
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const filterForm = () => {
    const statuses = STATUSES.includes(filters.status) || !filters.status ? STATUSES : STATUSES.concat([filters.status]);
    return h('form', { class: 'filters', method: 'get', action: BASE + '/tasks' },
      h('label', null, 'Status ', h('select', { name: 'status' }, h('option', { value: '' }, 'any'),
        statuses.map((s) => h('option', { value: s, selected: s === filters.status }, s)))),
      h('label', null, 'Handler ', h('input', { name: 'handler', value: filters.handler, placeholder: 'any' })),
      h('label', null, 'Id or prefix ', h('input', { name: 'id', value: filters.id, placeholder: 'any', size: 14 })),
      h('button', { type: 'submit' }, 'Filter'));
  };
  const bulkActions = () => {
    if (READ_ONLY || (filters.status !== 'failed' && filters.status !== 'cancelled')) return null;
    const filter = { status: filters.status, handler: filters.handler || undefined };
    const what = filters.status + ' tasks' + (filters.handler ? ' of ' + filters.handler : '');
    return h('p', { class: 'bulk' },
      button('Retry all ' + filters.status, async () => 'Retried ' + (await act('/bulk/retry', filter)).retried + ' ' + what),
      ' ',
      button('Purge all ' + filters.status, async () => {
        if (!confirm('Delete every ' + what + '?')) return 'Nothing purged';
        return 'Purged ' + (await act('/bulk/purge', filter)).removed + ' ' + what;
      }, { class: 'danger' }));
  };
  const renderTasks = (data) => {
    const rows = data.tasks.map((t) =>
      h('tr', { 'data-task': t.id },
        h('td', { class: 'id' }, h('a', { href: taskUrl(t.id), title: t.id }, t.id.slice(0, 8))),
        h('td', null, t.handler), h('td', null, t.name || ''), h('td', null, statusBadge(t.status)),
        h('td', { class: 'num' }, t.attempts), h('td', null, time(t.createdAt)), h('td', null, time(t.runAt)),
        h('td', null, time(t.startedAt)), h('td', null, time(t.finishedAt)),
        h('td', { class: 'error', title: t.error || '' }, t.error ? t.error.slice(0, 80) : '')));
    const page = (to, label) => h('a', { class: 'pager', href: listUrl(Object.assign({}, filters, { offset: to || undefined })) }, label);
    return [
      data.tasks.length === 0 ? none('no task matches') : table(['Id', 'Handler', 'Name', 'Status', 'Attempts', 'Created', 'Run at', 'Started', 'Finished', 'Last error'], rows, { id: 'task-table' }),
      h('p', { class: 'pagers' }, offset > 0 ? page(Math.max(0, offset - data.limit), '← Newer') : null, ' ',
        data.more ? page(offset + data.limit, 'Older →') : null),
    ];
  };

  // --- One task ---
  const field = (label, value, attrs) => [h('dt', null, label), h('dd', attrs, value === undefined || value === null || value === '' ? '—' : value)];
  const idLinks = (ids) => Array.isArray(ids) && ids.length > 0
    ? h('ul', { class: 'ids' }, ids.map((entry) => {
        const id = typeof entry === 'object' && entry !== null ? entry.id : entry;
        return h('li', null, h('a', { href: taskUrl(String(id)) }, String(id)),
          typeof entry === 'object' && entry !== null && entry.status ? [' ', statusBadge(entry.status)] : null);
      }))
    : none();
  const taskActions = (t) => {
    if (READ_ONLY) return null;
    const path = '/tasks/' + encodeURIComponent(t.id);
    const done = (verb) => async () => ((await act(path + '/' + verb)).ok ? verb + ': done' : verb + ': not possible now (the task changed)');
    return h('p', { class: 'actions' },
      ['pending', 'running', 'waiting'].includes(t.status) ? button('Cancel', done('cancel')) : null,
      ['failed', 'cancelled'].includes(t.status) ? button('Retry', done('retry')) : null,
      t.status !== 'running' ? button('Remove', async () => {
        if (!confirm('Delete task ' + t.id + '?')) return 'Not removed';
        if (!(await act(path + '/remove')).ok) return 'remove: not possible now (the task is running)';
        location.assign(listUrl({}));
        return 'Removed';
      }, { class: 'danger' }) : null);
  };
  const renderTask = (t) => [
    h('h1', null, 'Task ', h('code', null, t.id)),
    h('p', null, 'Status: ', statusBadge(t.status, { id: 'task-status' })),
    taskActions(t),
    section('Details', h('dl', { class: 'facts' },
      field('Handler', h('a', { href: listUrl({ handler: t.handler }) }, t.handler)),
      field('Name', t.name),
      field('Attempts', t.attempts + ' (retries allowed: ' + t.maxRetries + ')'),
      field('Priority', t.priority),
      field('Partition', t.partitionKey),
      field('Run at', time(t.runAt)),
      field('Created', time(t.createdAt)),
      field('Started', time(t.startedAt)),
      field('Finished', time(t.finishedAt)),
      field('Progress', t.progress === undefined ? undefined : typeof t.progress === 'number' ? t.progress + ' %' : json(t.progress)))),
    section('Dependencies', idLinks(t.dependsOn)),
    section('Dependents', idLinks(t.dependents)),
    section('Last error', t.lastError
      ? [h('p', { class: 'error' }, h('strong', null, t.lastError.name), ': ', t.lastError.message),
         t.lastError.stack ? h('pre', { class: 'stack' }, t.lastError.stack) : null]
      : none()),
    section('Result', t.result === undefined ? none() : h('pre', null, json(t.result))),
    section('Metadata', t.metadata === undefined ? none() : h('pre', null, json(t.metadata))),
    section('Args', t.argsShown ? h('pre', { id: 'task-args' }, json(t.args)) : h('p', { class: 'muted' }, 'hidden (enable showArgs to see them)')),
    t.other ? section('More', h('pre', null, json(t.other))) : null,
  ];

  // --- Loading and live updates ---
  let area;
  const load = async () => {
    if (PAGE === 'overview') return renderOverview(await api('/overview'));
    if (PAGE === 'tasks') {
      const params = new URLSearchParams({ limit: '50', offset: String(offset) });
      for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
      return renderTasks(await api('/tasks?' + params.toString()));
    }
    try {
      return renderTask(await api('/tasks/' + encodeURIComponent(TASK_ID)));
    } catch (error) {
      if (error.status === 404) return [h('h1', null, 'Task ', h('code', null, TASK_ID)), h('p', { id: 'task-missing' }, 'No such task (unknown, or removed by retention).')];
      throw error;
    }
  };
  let loading = false;
  let again = false;
  const refresh = async () => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      area.replaceChildren(...[await load()].flat(Infinity).filter(Boolean));
      body.dataset.loaded = String(Date.now());
    } catch (error) {
      say('Could not load: ' + error.message, 'error');
    } finally {
      loading = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  };
  const connect = () => {
    const source = new EventSource(BASE + '/api/events');
    source.addEventListener('change', () => refresh());
    source.addEventListener('open', () => {
      live.textContent = 'live';
      live.className = 'live on';
      refresh();
    });
    source.addEventListener('error', () => {
      live.textContent = 'reconnecting';
      live.className = 'live off';
    });
  };

  area = h('div', { id: 'content' });
  main.replaceChildren(...[flash, PAGE === 'tasks' ? [h('h1', null, 'Tasks'), filterForm(), bulkActions()] : [], area].flat().filter(Boolean));
  refresh();
  connect();
})();
`;
