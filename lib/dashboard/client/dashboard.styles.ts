// The page's style sheet, as the dashboard serves it (assets/dashboard.css).
export const DASHBOARD_STYLES = `:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --info: #0969da; --muted: #656d76; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff; }
a { color: var(--info); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; border-bottom: 1px solid var(--line); background: var(--bg); }
.brand { font-weight: 600; color: #1f2328; }
nav a { margin-right: 16px; }
.live { margin-left: auto; font-size: 12px; color: var(--muted); }
.live.on::before { content: "● "; color: var(--ok); }
.live.off::before { content: "● "; color: var(--warn); }
main { padding: 16px 24px 48px; max-width: 1200px; }
h1 { font-size: 20px; margin: 8px 0 16px; }
h2 { font-size: 15px; margin: 0 0 10px; }
.panel { border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin-bottom: 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { display: flex; flex-direction: column; min-width: 110px; padding: 10px 14px; border: 1px solid var(--line); border-radius: 6px; color: #1f2328; }
.card .count { font-size: 22px; font-weight: 600; }
.card .label { color: var(--muted); }
.card.status-failed .count { color: var(--bad); }
.card.status-succeeded .count { color: var(--ok); }
.card.status-running .count { color: var(--info); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.id, code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
td.error { color: var(--bad); max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; background: var(--bg); border: 1px solid var(--line); }
.status-succeeded { color: var(--ok); border-color: var(--ok); }
.status-failed { color: var(--bad); border-color: var(--bad); }
.status-running { color: var(--info); border-color: var(--info); }
.status-cancelled { color: var(--muted); }
.status-waiting { color: var(--warn); border-color: var(--warn); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow: auto; max-height: 360px; margin: 0; }
pre.stack { color: var(--bad); }
.muted { color: var(--muted); }
.none { margin: 0; }
button { font: inherit; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); cursor: pointer; margin-right: 6px; }
button:hover { border-color: var(--info); }
button.danger { color: var(--bad); }
button:disabled { opacity: 0.5; cursor: default; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-bottom: 12px; }
.filters input, .filters select { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; }
.flash:empty { display: none; }
.flash { padding: 6px 10px; border-radius: 6px; background: var(--bg); }
.flash.error { color: var(--bad); }
.flash.ok { color: var(--ok); }
.chart { display: block; width: 100%; max-width: 720px; height: auto; }
.chart .bar-ok, .key-ok { fill: var(--ok); color: var(--ok); }
.chart .bar-failed, .key-failed { fill: var(--bad); color: var(--bad); }
.chart .axis { stroke: var(--line); }
.pagers a { margin-right: 16px; }
ul.ids { margin: 0; padding-left: 18px; }
`;

/** The tab icon (assets/favicon.svg): a browser asks for one, and a 404 would be a console error. */
export const DASHBOARD_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="1" y="9" width="3" height="6" fill="#1a7f37"/>' +
  '<rect x="6" y="5" width="3" height="10" fill="#0969da"/><rect x="11" y="2" width="3" height="13" fill="#cf222e"/></svg>';
