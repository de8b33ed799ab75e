/**
 * Text that goes into report.md and report.html: escaped for both (a label must not add a table
 * row, a heading or a <script>), and capped in length (a 5 MB label must not make a 160 MB page),
 * with a count of what was shortened so the report can say so.
 */
export const MAX_LABEL = 100;
export const MAX_FIELD = 300;
export const MAX_CONFIG = 20000;

export class TextBudget {
  /** How many values were shortened, by kind. */
  readonly truncated = new Map<string, number>();

  /** `s` cut to `max` characters (code points kept whole) with an ellipsis; counted under `what`. */
  cap(s: string, max: number, what: string): string {
    if (s.length <= max) return s;
    this.truncated.set(what, (this.truncated.get(what) ?? 0) + 1);
    const cut = Array.from(s.slice(0, max + 1)).slice(0, max - 1).join('');
    return cut + '\u2026';
  }

  label(s: string): string {
    return this.cap(s, MAX_LABEL, `labels longer than ${MAX_LABEL} characters`);
  }

  field(s: string): string {
    return this.cap(s, MAX_FIELD, `fields longer than ${MAX_FIELD} characters`);
  }

  /** One sentence on what was shortened, or undefined when nothing was. */
  note(): string | undefined {
    if (this.truncated.size === 0) return undefined;
    return `Shortened for display (cut with \u2026): ${[...this.truncated].map(([k, n]) => `${n} ${k}`).join(', ')}; the results file holds the full text.`;
  }
}

/** One line of plain text as Markdown: no block can start, no inline markup or HTML is live. */
export function mdText(s: string): string {
  return s
    .replace(/[\r\n\t\v\f\u0085\u2028\u2029]+/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]#|!~])/g, '\\$1')
    // Block markers only count at the start of a line (a paragraph or caption): escape them there.
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
    .replace(/^([-+])(?=\s|$)/, '\\$1')
    .replace(/^(=+|-+)\s*$/, '\\$1');
}

export function escHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON for a fenced block or a <pre>: still valid JSON, but with <, > and & as \u escapes so no
 * renderer can see a tag, and capped in length.
 */
export function safeJson(v: unknown, budget: TextBudget, indent = 2): string {
  // Lists of numbers on one line: a 26-point SNR list should not take 26 lines.
  const s = (JSON.stringify(v, null, indent) ?? 'null').replace(/\[\n\s*([-0-9.eE+,\s]*?)\n\s*\]/g, (_m, inner: string) => `[${inner.replace(/,\n\s*/g, ', ')}]`).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return budget.cap(s, MAX_CONFIG, `config blocks longer than ${MAX_CONFIG} characters`);
}

/** A Markdown fence longer than any backtick run inside `body`. */
export function fence(body: string, info = ''): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${info}\n${body}\n${f}`;
}

export function mdTable(head: string[], rows: string[][]): string {
  const cell = (s: string) => mdText(s);
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

export function htmlTable(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((c) => `<th>${escHtml(c)}</th>`).join('')}</tr></thead><tbody>`
    + rows.map((r) => `<tr>${r.map((c) => `<td>${escHtml(c)}</td>`).join('')}</tr>`).join('') + '</tbody></table>';
}
