import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { helpers } from './helpers/index.js';
import { READER_SLOTS, slotMarker } from './slots.js';

// Standalone partials must not re-indent their output: it would change textarea contents.
const COMPILE_OPTIONS: CompileOptions = { preventIndent: true };

export interface Renderer {
  /** Renders views/NAME.hbs, inside views/layouts/LAYOUT.hbs unless layout is false. */
  renderView(name: string, context: Record<string, unknown>): string;
  /** Renders views/partials/NAME.hbs alone (live updates reuse the page's partials). */
  renderPartial(name: string, context: Record<string, unknown>): string;
  /** Express view-engine adapter. */
  expressEngine(filePath: string, options: object, callback: (err: unknown, html?: string) => void): void;
}

/**
 * A small Handlebars engine: one isolated Handlebars instance, every partial
 * under views/partials registered by its path ("comments/thread"), templates
 * compiled once and cached (recompiled on each render when `cache` is false).
 */
export function createRenderer(viewsDir: string, cache = true): Renderer {
  let hbs = build();
  const templates = new Map<string, HandlebarsTemplateDelegate>();

  function build(): typeof Handlebars {
    const instance = Handlebars.create();
    for (const [name, helper] of Object.entries(helpers)) instance.registerHelper(name, helper);
    // {{slot "partial"}} or {{slot "partial" "key"}}: the partial, with this context or the root's
    // `key`; in a page rendered as a frame (READER_SLOTS), a marker filled per reader (slots.ts).
    instance.registerHelper('slot', function (this: unknown, name: string, ...rest: unknown[]) {
      const options = rest.pop() as Handlebars.HelperOptions;
      const key = typeof rest[0] === 'string' ? rest[0] : '';
      const root = (options.data as { root?: Record<string, unknown> } | undefined)?.root ?? {};
      if (root[READER_SLOTS]) return new instance.SafeString(slotMarker(name, key));
      const partial = instance.partials[name] as HandlebarsTemplateDelegate;
      return new instance.SafeString(partial(key ? root[key] : this, { data: options.data as unknown }));
    });
    const partialsDir = path.join(viewsDir, 'partials');
    for (const file of walk(partialsDir)) {
      const name = path
        .relative(partialsDir, file)
        .replace(/\\/g, '/')
        .replace(/\.hbs$/, '');
      instance.registerPartial(name, instance.compile(readFileSync(file, 'utf8'), COMPILE_OPTIONS));
    }
    return instance;
  }

  function template(name: string): HandlebarsTemplateDelegate {
    if (!cache) {
      hbs = build();
      templates.clear();
    }
    let compiled = templates.get(name);
    if (!compiled) {
      const file = path.join(viewsDir, `${name}.hbs`);
      compiled = hbs.compile(readFileSync(file, 'utf8'), COMPILE_OPTIONS);
      templates.set(name, compiled);
    }
    return compiled;
  }

  function renderView(name: string, context: Record<string, unknown>): string {
    const body = template(name)(context);
    const layout = context.layout === undefined ? 'main' : context.layout;
    if (layout === false) return body;
    return template(`layouts/${String(layout)}`)({ ...context, body });
  }

  return {
    renderView,
    renderPartial(name, context) {
      const partial = hbs.partials[name] as HandlebarsTemplateDelegate | undefined;
      if (!partial) throw new Error(`Unknown partial "${name}"`);
      return partial(context);
    },
    expressEngine(filePath, options, callback) {
      try {
        const name = path
          .relative(viewsDir, filePath)
          .replace(/\\/g, '/')
          .replace(/\.hbs$/, '');
        callback(null, renderView(name, options as Record<string, unknown>));
      } catch (err) {
        callback(err);
      }
    },
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.name.endsWith('.hbs') ? [full] : [];
  });
}
