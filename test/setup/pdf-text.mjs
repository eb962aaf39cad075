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
  for (const item of content.items) {
    if (!('str' in item)) continue;
    // Runs of one line are separate items: keep a space between words the PDF places apart.
    if (text && !text.endsWith('\n') && !text.endsWith(' ') && item.str && !item.str.startsWith(' '))
      text += ' ';
    text += item.str + (item.hasEOL ? '\n' : '');
  }
  pages.push(text);
}
process.stdout.write(pages.join('\f'));
