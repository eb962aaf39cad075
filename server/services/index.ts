import type { Config } from '../config/index.js';
import type { Renderer } from '../rendering/engine.js';
import { CommentService } from './comment-service.js';
import { DomainEvents } from './events.js';
import { PostService } from './post-service.js';

export interface Services {
  events: DomainEvents;
  posts: PostService;
  comments: CommentService;
  renderer: Renderer;
}

/** The services that HTTP controllers and socket handlers share. */
export function createServices(deps: { config: Config; renderer: Renderer }): Services {
  const events = new DomainEvents();
  const posts = new PostService(deps.config, events);
  return {
    events,
    posts,
    comments: new CommentService(deps.config, events, posts),
    renderer: deps.renderer,
  };
}
