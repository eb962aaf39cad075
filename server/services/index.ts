import type { Config } from '../config/index.js';
import type { Renderer } from '../rendering/engine.js';
import { CommentService } from './comment-service.js';
import { DomainEvents } from './events.js';
import { PostService } from './post-service.js';
import { UserService } from './user-service.js';

export interface Services {
  events: DomainEvents;
  posts: PostService;
  comments: CommentService;
  users: UserService;
  renderer: Renderer;
}

/** The services that HTTP controllers and socket handlers share. */
export function createServices(deps: { config: Config; renderer: Renderer; now?: () => number }): Services {
  const now = deps.now ?? Date.now;
  const events = new DomainEvents();
  const posts = new PostService(deps.config, events);
  const users = new UserService(deps.config, now);
  return {
    events,
    posts,
    users,
    comments: new CommentService(deps.config, events, posts, users, now),
    renderer: deps.renderer,
  };
}
