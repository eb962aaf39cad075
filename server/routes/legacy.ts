import { Router } from 'express';
import { legacyController } from '../controllers/legacy-controller.js';

/** The services this area's controllers use, and nothing else. */
export type LegacyDeps = Parameters<typeof legacyController>[0];

/**
 * Old addresses of an imported site: `/?p=123`, `/?feed=rss2`, `/?tag=…` before the home page
 * answers `/`, and every other shape last, before the 404 page.
 */
export function legacyRouters(services: LegacyDeps): { home: Router; rest: Router } {
  const legacy = legacyController(services);
  const home = Router().get('/', legacy.redirectQuery);
  return { home, rest: Router().use(legacy.redirect) };
}
