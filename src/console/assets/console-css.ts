/** The console's only stylesheet, served from the gateway (the CSP allows no inline style). */
export const consoleCss = `
:root { --fg: #1b1f24; --muted: #4b5563; --bg: #ffffff; --panel: #f3f4f6; --accent: #1d4ed8;
  --ok: #166534; --bad: #991b1b; --warn: #854d0e; --line: #d1d5db; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible,
main:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.skip-link { position: absolute; left: -10000px; top: 0; }
.skip-link:focus { left: 8px; top: 8px; background: var(--bg); padding: 6px 10px; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; padding: 10px 24px;
  border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { margin: 0; font-weight: 700; }
.brand a { color: var(--fg); text-decoration: none; }
nav ul { display: flex; gap: 14px; list-style: none; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; text-decoration: none; border-bottom: 3px solid var(--accent); }
.sign-out { margin-left: auto; display: flex; gap: 10px; align-items: center; color: var(--muted); }
main { padding: 8px 24px 40px; max-width: 1100px; }
h1 { font-size: 1.6rem; margin: 16px 0; }
h2 { font-size: 1.2rem; margin: 24px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); }
form.stack { display: grid; gap: 10px; max-width: 560px; margin-bottom: 16px; }
form.inline { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; margin-bottom: 16px; }
label { display: grid; gap: 2px; font-weight: 600; }
label.check { display: flex; gap: 6px; align-items: center; }
.hint { font-weight: 400; color: var(--muted); font-size: 0.9em; }
input, select, textarea, button { font: inherit; padding: 5px 8px; border: 1px solid #6b7280; border-radius: 4px; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
button.danger { background: var(--bad); border-color: var(--bad); }
button.secondary { background: var(--bg); color: var(--accent); }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 0 0 16px; }
legend { font-weight: 700; padding: 0 4px; }
.panel { background: var(--panel); border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
.error-summary { border: 2px solid var(--bad); border-radius: 6px; padding: 8px 16px; margin: 12px 0; }
.notice { border: 2px solid var(--ok); border-radius: 6px; padding: 8px 16px; margin: 12px 0; }
.warning-banner { border: 2px solid var(--warn); background: #fef9c3; border-radius: 6px; padding: 8px 16px; margin: 12px 0; }
.warning-banner h2 { margin-top: 4px; }
.secret { font-family: ui-monospace, monospace; background: #fff7d6; padding: 4px 8px; word-break: break-all; }
.status-on, .status-completed, .status-sent { color: var(--ok); font-weight: 700; }
.status-off, .status-failed { color: var(--bad); font-weight: 700; }
.status-expired, .status-queued, .status-processing { color: var(--warn); font-weight: 700; }
ol.story { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
ol.story > li { position: relative; padding: 4px 0 14px 20px; }
ol.story > li::before { content: ""; position: absolute; left: -9px; top: 10px; width: 15px; height: 15px;
  border-radius: 50%; background: var(--accent); }
ol.story h2 { margin: 0 0 4px; font-size: 1.05rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 4px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
pre { background: var(--panel); padding: 8px; overflow-x: auto; max-height: 260px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
figcaption { font-weight: 700; }
svg.chart { width: 100%; height: auto; }
svg.chart .axis { stroke: #9ca3af; stroke-width: 1; }
svg.chart .grid-label { fill: #4b5563; font-size: 11px; }
.series-0 { stroke: #1d4ed8; } .series-1 { stroke: #b91c1c; } .series-2 { stroke: #15803d; }
.series-3 { stroke: #a16207; } .series-4 { stroke: #7e22ce; }
svg.chart polyline { fill: none; stroke-width: 2; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; list-style: none; padding: 0; margin: 4px 0 0; }
.legend li::before { content: "■ "; }
.legend .series-0::before { color: #1d4ed8; } .legend .series-1::before { color: #b91c1c; }
.legend .series-2::before { color: #15803d; } .legend .series-3::before { color: #a16207; }
.legend .series-4::before { color: #7e22ce; }
input[type="checkbox"] { width: 24px; height: 24px; margin: 0; flex: none; }
a.tap { display: inline-block; min-height: 24px; min-width: 24px; padding-top: 1px; }
fieldset.stack { display: grid; gap: 6px; }
form.editor { max-width: 720px; }
form.editor textarea, form.editor input:not([type="checkbox"]), form.editor select { width: 100%; }
.field-error { color: var(--bad); font-weight: 600; }
.actions { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; }
table.narrow td { overflow-wrap: anywhere; }
code.wrap { overflow-wrap: anywhere; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* Narrow screens (360 px and up) and tap targets (WCAG 2.5.8): tables scroll in their own box,
   fields and long values never widen the page, every control is at least 24 × 24 px. */
.scroll-box { max-width: 100%; overflow-x: auto; margin: 8px 0 16px; }
.scroll-box > table { margin: 0; overflow-wrap: break-word; }
.scroll-box:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
input, select, textarea { max-width: 100%; min-height: 24px; }
form.stack, fieldset.stack { grid-template-columns: minmax(0, 1fr); }
fieldset { min-width: 0; }
label { grid-template-columns: minmax(0, 1fr); max-width: 100%; }
form.inline > * { min-width: 0; max-width: 100%; }
button { min-height: 24px; min-width: 24px; }
main { overflow-wrap: anywhere; }
dl.facts { grid-template-columns: minmax(0, max-content) minmax(0, 1fr); }
.charts { grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr)); }
nav a, .brand a, td a, dd a { display: inline-block; min-height: 24px; min-width: 24px; padding-top: 1px; }
.skip-link { display: inline-block; min-height: 24px; }
ul.spaced > li { margin-bottom: 8px; }
.secret-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.copy-status { color: var(--ok); font-weight: 600; }
.notice:focus-visible, .error-summary:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
@media (max-width: 640px) {
  header.top { padding: 8px 12px; gap: 8px 16px; }
  main { padding: 8px 12px 32px; }
  .sign-out { margin-left: 0; flex-wrap: wrap; }
  dl.facts { grid-template-columns: minmax(0, 1fr); }
  dl.facts dd { margin-bottom: 6px; }
}
/* Events pages (list, story, bulk replay): from 360 px up without sideways scrolling, tap targets of 24 px. */
.events-page a { display: inline-block; min-height: 24px; padding-top: 1px; }
.events-page summary { min-height: 24px; cursor: pointer; }
.events-page select, .events-page input:not([type="checkbox"]) { max-width: 100%; }
.events-page pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.events-page code { overflow-wrap: anywhere; }
.events-page td, main:has(.events-page) h1 { overflow-wrap: anywhere; }
.events-page .filter-hints { flex-basis: 100%; margin: 0; }
@media (max-width: 720px) {
  main:has(.events-page) { padding-left: 12px; padding-right: 12px; }
  .events-page table.stack-narrow thead { position: absolute; left: -10000px; top: auto; }
  .events-page table.stack-narrow, .events-page table.stack-narrow tbody,
  .events-page table.stack-narrow tr, .events-page table.stack-narrow td { display: block; width: 100%; }
  .events-page table.stack-narrow caption { display: block; text-align: left; font-weight: 600; }
  .events-page table.stack-narrow tr { border-bottom: 2px solid var(--line); padding: 4px 0; }
  .events-page table.stack-narrow td { border: 0; padding: 2px 0; }
  .events-page table.stack-narrow td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  .events-page dl.facts { grid-template-columns: minmax(0, 1fr) auto; }
  .events-page form.inline > label { flex: 1 1 100%; min-width: 0; grid-template-columns: minmax(0, 1fr); }
  .events-page form.inline select, .events-page form.inline input:not([type="checkbox"]) { width: 100%; }
}
`;
