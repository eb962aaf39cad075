// Prints the text of a PDF, page by page, as pdftotext would (one line per line of the page), with
// pdfjs-dist: `node test/setup/pdf-text.mjs FILE`. A process of its own because pdfjs is an ES
// module, which the test runner's CommonJS cannot load.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const doc = await getDocument({ data: new Uint8Array(readFileSync(process.argv[2])), verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n += 1) {
  const content = await (await doc.getPage(n)).getTextContent();
  let text = '';
  let end = null; // where the last run ended, and on which line
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const [, , , , x, y] = item.transform;
    if (end && text && !text.endsWith('\n')) {
      // A run further along the same line after a gap is a new word; a run on another line, a new line.
      if (Math.abs(y - end.y) > 1) text += '\n';
      else if (x - end.x > 1 && !text.endsWith(' ') && !item.str.startsWith(' ')) text += ' ';
    }
    text += item.str + (item.hasEOL ? '\n' : '');
    end = { x: x + item.width, y };
  }
  pages.push(text);
}
process.stdout.write(pages.join('\f'));
