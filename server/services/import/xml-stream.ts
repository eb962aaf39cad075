import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
  /** Line where the element starts, for messages. */
  line: number;
}

export class MalformedXmlError extends Error {
  constructor(
    public readonly line: number,
    public readonly column: number,
    reason: string,
  ) {
    super(`Malformed XML at line ${line}, column ${column}: ${reason}`);
    this.name = 'MalformedXmlError';
  }
}

/** The first child with this name, and its text. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function textOf(node: XmlNode, name: string): string {
  return child(node, name)?.text.trim() ?? '';
}

/**
 * Streams an XML file and yields each "record" element (WordPress <item>,
 * Disqus <thread> or <post>, …) as a small tree, one at a time. Only the
 * record being read is held in memory, and the file is read only as fast as
 * the caller consumes records, so memory stays bounded whatever the size.
 */
export async function* streamRecords(
  input: Readable,
  isRecord: (name: string, depth: number) => boolean,
): AsyncGenerator<XmlNode> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const ready: XmlNode[] = [];
  const stack: XmlNode[] = [];
  let depth = 0;
  let failure: MalformedXmlError | undefined;

  parser.on('error', (err) => {
    failure ??= new MalformedXmlError(parser.line, parser.column, err.message.replace(/^.*?:\d+:\d+: /, ''));
    throw failure;
  });
  parser.on('opentag', (tag) => {
    depth += 1;
    if (stack.length === 0 && !isRecord(tag.name, depth)) return;
    const node: XmlNode = {
      name: tag.name,
      attrs: { ...(tag.attributes as Record<string, string>) },
      text: '',
      children: [],
      line: parser.line,
    };
    stack[stack.length - 1]?.children.push(node);
    stack.push(node);
  });
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    depth -= 1;
    const node = stack.pop();
    if (node && stack.length === 0) ready.push(node);
  });

  try {
    for await (const chunk of input) {
      parser.write(typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
      while (ready.length) yield ready.shift()!;
    }
    parser.close();
  } catch (err) {
    if (failure) throw failure;
    throw err;
  }
  while (ready.length) yield ready.shift()!;
}
