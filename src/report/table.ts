/**
 * HTML tables that the page script can sort (click a header) and filter (text box). Each cell
 * carries its raw value in `data-sort`, so sorting never parses formatted text.
 */
import { escapeHtml, formatNumber } from './html-text.js';

export interface Column<Row> {
  label: string;
  /** Header tooltip: what the column is, with its unit. */
  description?: string;
  /** Numbers sort numerically and align right. */
  type: 'text' | 'number';
  value: (row: Row) => string | number | null;
  /** Decimals shown for numbers; the sort key keeps full precision. */
  decimals?: number;
  /** Shown text when it differs from the sort value, for example an interval sorted by its lower end. */
  display?: (row: Row) => string | null;
  /** Extra class of a cell, for example 'warn' to highlight a value. */
  cellClass?: (row: Row) => string | undefined;
}

function renderHeader<Row>(column: Column<Row>): string {
  const title = column.description ? ` title="${escapeHtml(column.description)}"` : '';
  return `<th scope="col" data-type="${column.type}" aria-sort="none"${title}><button type="button">${escapeHtml(column.label)}</button></th>`;
}

function formatValue<Row>(column: Column<Row>, value: string | number): string {
  return column.type === 'number' && typeof value === 'number' ? formatNumber(value, column.decimals ?? 3) : String(value);
}

function renderCell<Row>(column: Column<Row>, row: Row): string {
  const classes = [column.type === 'number' ? 'num' : '', column.cellClass?.(row) ?? ''].filter(Boolean).join(' ');
  const classAttr = classes ? ` class="${classes}"` : '';
  const value = column.value(row);
  // Missing values get an empty sort key, which the page script sorts after every value.
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return `<td${classAttr} data-sort="">–</td>`;
  const text = column.display ? (column.display(row) ?? '–') : formatValue(column, value);
  return `<td${classAttr} data-sort="${escapeHtml(String(value))}">${escapeHtml(text)}</td>`;
}

/**
 * Renders a sortable table. With `filterLabel`, a text box above it keeps the rows in which every
 * typed word occurs in some cell, and a counter shows how many rows remain.
 */
export function renderSortableTable<Row>(id: string, columns: Column<Row>[], rows: Row[], filterLabel?: string): string {
  const parts: string[] = [];
  if (filterLabel) {
    parts.push(
      `<div class="table-tools"><label>Filter <input type="search" data-filter-for="${id}" placeholder="${escapeHtml(filterLabel)}" autocomplete="off"></label>`,
      ` <span class="row-count" data-count-for="${id}">${rows.length} of ${rows.length} rows</span></div>`,
    );
  }
  parts.push(`<div class="table-scroll"><table id="${id}" class="sortable">`);
  parts.push(`<thead><tr>${columns.map(renderHeader).join('')}</tr></thead>`);
  parts.push('<tbody>');
  for (const row of rows) parts.push(`<tr>${columns.map((column) => renderCell(column, row)).join('')}</tr>`);
  parts.push('</tbody></table></div>');
  return parts.join('\n');
}
