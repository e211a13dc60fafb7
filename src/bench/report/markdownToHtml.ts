/**
 * HTML of the Markdown `markdownTables` writes (table.md): `#` and `##` headings, paragraphs with
 * inline code, and pipe tables whose `---:` columns are right-aligned. The page shows the very
 * tables and captions table.md has, from the same generator; this is no general Markdown reader.
 */
export function markdownToHtml(markdown: string): string {
  return markdown
    .trim()
    .split(/\n{2,}/)
    .map((block) => {
      const heading = /^(#{1,6}) (.*)$/.exec(block);
      if (heading) return `<h${heading[1].length + 1}>${inline(heading[2])}</h${heading[1].length + 1}>`;
      if (block.startsWith('|')) return table(block.split('\n'));
      return `<p>${inline(block)}</p>`;
    })
    .join('\n');
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Inline code spans; everything else is text. */
const inline = (s: string) => escape(s).replace(/`([^`]+)`/g, '<code>$1</code>');

/** Cells of a `| a | b |` line. */
const cells = (line: string) => line.replace(/^\|\s?/, '').replace(/\s?\|$/, '').split(' | ');

function table(lines: string[]): string {
  const [header, rule, ...rows] = lines;
  const right = cells(rule).map((c) => c.trim().endsWith(':'));
  const row = (line: string, tag: 'th' | 'td') => `<tr>${cells(line).map((c, i) => `<${tag}${right[i] ? ' class="num"' : ''}>${inline(c)}</${tag}>`).join('')}</tr>`;
  return `<table class="results"><thead>${row(header, 'th')}</thead><tbody>${rows.map((r) => row(r, 'td')).join('')}</tbody></table>`;
}
