/** Inline CSS and script of the report page; the page loads nothing else. */

export const PAGE_CSS = `
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #dadce0; --error-bg: #fde7e4; --error-ink: #a1271b; --warn-bg: #fff4e0; --warn-ink: #7a4a00; --ok: #1e7b34; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fafafa; }
header.page { background: #fff; border-bottom: 1px solid var(--line); padding: 18px 28px 10px; }
header.page h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header.page p { margin: 0 0 8px; color: var(--muted); }
nav a { margin-right: 16px; color: #1a56b0; text-decoration: none; font-size: 14px; }
nav a:hover { text-decoration: underline; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 28px 48px; }
section { margin-top: 28px; }
h2 { font-size: 19px; font-weight: 600; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; font-weight: 600; margin: 22px 0 8px; }
h4 { font-size: 15px; margin: 0 0 6px; }
.hint, .muted, .note { color: var(--muted); }
.hint { max-width: 900px; }
.note { font-size: 13px; margin: 4px 0 0; }
.empty { font-style: italic; color: var(--muted); }
.callout { padding: 8px 12px; border-radius: 4px; max-width: 900px; }
main > .callout { margin: 20px 0 0; }
.callout a { color: inherit; font-weight: 600; }
.notice-warning { background: var(--warn-bg); color: var(--warn-ink); border-left: 4px solid #e8a33d; }
.notice-error { background: var(--error-bg); color: var(--error-ink); border-left: 4px solid #d93025; }
.sign-checks { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 12px; }
.sign-check { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.sign-check ul { margin: 0; padding-left: 18px; font-size: 14px; }
.badge { font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; margin-left: 6px; white-space: nowrap; }
.badge.yes { background: #e2f3e6; color: var(--ok); }
.badge.no { background: var(--error-bg); color: var(--error-ink); }
.badge.unknown { background: #eceff1; color: var(--muted); }
.plots { display: flex; flex-direction: column; gap: 18px; }
figure.plot { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; overflow-x: auto; }
figure.plot h3 { margin-top: 0; }
figure.plot svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 14px; margin-bottom: 8px; max-width: 900px; }
.table-tools { margin: 8px 0; font-size: 14px; }
.table-tools input { font: inherit; padding: 3px 8px; width: 280px; border: 1px solid var(--line); border-radius: 4px; }
.row-count { color: var(--muted); margin-left: 8px; }
.table-scroll { overflow: auto; max-height: 560px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
table.sortable { border-collapse: collapse; font-size: 13px; width: 100%; }
table.sortable th { position: sticky; top: 0; background: #f1f3f4; text-align: left; border-bottom: 1px solid var(--line); padding: 0; white-space: nowrap; }
table.sortable th[data-type="number"] { text-align: right; }
table.sortable th button { all: unset; cursor: pointer; display: block; padding: 6px 8px; font-weight: 600; }
table.sortable th button:focus-visible { outline: 2px solid #1a56b0; }
table.sortable th[aria-sort="ascending"] button::after { content: " ▲"; font-size: 10px; }
table.sortable th[aria-sort="descending"] button::after { content: " ▼"; font-size: 10px; }
table.sortable td { padding: 4px 8px; border-bottom: 1px solid #f0f0f0; white-space: nowrap; vertical-align: top; }
table.sortable tbody tr:nth-child(even) { background: #fbfbfb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.warn { background: var(--warn-bg); color: var(--warn-ink); font-weight: 600; }
table.sortable td.warn-text { color: var(--warn-ink); white-space: pre-line; min-width: 360px; }
#diagnostics-table td.run-id { white-space: normal; overflow-wrap: anywhere; min-width: 200px; max-width: 300px; }
td.run-id { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); }
td.status-failed { color: var(--error-ink); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; word-break: break-all; }
ul.packages { columns: 3 220px; font-size: 13px; padding-left: 18px; }
details summary { cursor: pointer; margin: 8px 0; }
`;

/**
 * Sorts a table when a header is clicked (again to reverse) and filters rows by text terms. Cells
 * carry their raw value in data-sort; empty keys are missing values and stay last.
 */
export const PAGE_SCRIPT = `
(() => {
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const compareKeys = (a, b, type) => (type === 'number' ? Number(a) - Number(b) : collator.compare(a, b));
  for (const table of document.querySelectorAll('table.sortable')) {
    const body = table.tBodies[0];
    Array.from(body.rows).forEach((row, index) => { row.dataset.index = String(index); });
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((header, column) => {
      header.querySelector('button').addEventListener('click', () => {
        const ascending = header.getAttribute('aria-sort') !== 'ascending';
        for (const other of headers) other.setAttribute('aria-sort', 'none');
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        const type = header.dataset.type;
        const rows = Array.from(body.rows).map((row) => ({ row, key: row.cells[column].dataset.sort, index: Number(row.dataset.index) }));
        rows.sort((a, b) => {
          if (a.key === '' || b.key === '') return (a.key === '') - (b.key === '') || a.index - b.index;
          const order = compareKeys(a.key, b.key, type);
          return (ascending ? order : -order) || a.index - b.index;
        });
        body.append(...rows.map((entry) => entry.row));
      });
    });
  }
  for (const input of document.querySelectorAll('input[data-filter-for]')) {
    const id = input.dataset.filterFor;
    const body = document.getElementById(id).tBodies[0];
    const counter = document.querySelector('[data-count-for="' + id + '"]');
    input.addEventListener('input', () => {
      // A row stays when every whitespace-separated term occurs in at least one of its cells.
      const terms = input.value.toLowerCase().split(/\\s+/).filter((term) => term !== '');
      let visibleCount = 0;
      for (const row of body.rows) {
        const cells = Array.from(row.cells, (cell) => cell.textContent.toLowerCase());
        row.hidden = !terms.every((term) => cells.some((cell) => cell.includes(term)));
        if (!row.hidden) visibleCount += 1;
      }
      counter.textContent = visibleCount + ' of ' + body.rows.length + ' rows';
    });
  }
})();
`;
