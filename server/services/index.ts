import type { Config } from '../config/index.js';
import type { Renderer } from '../rendering/engine.js';
import { DomainEvents } from './events.js';
import { PostService } from './post-service.js';

export interface Services {
  events: DomainEvents;
  posts: PostService;
}

/** The services that HTTP controllers and socket handlers share. */
export function createServices(deps: { config: Config; renderer: Renderer }): Services {
  const events = new DomainEvents();
  return {
    events,
    posts: new PostService(deps.config),
  };
}
