import type { Config } from '../config/index.js';
import type { Renderer } from '../rendering/engine.js';
import { CommentService } from './comment-service.js';
import { DomainEvents } from './events.js';
import { PostService } from './post-service.js';
import { UserService } from './user-service.js';
import { AuditService } from './audit-service.js';
import { CommentGate } from './comment-gate.js';
import { ModerationService } from './moderation-service.js';
import { SanctionService } from './sanction-service.js';

export interface Services {
  events: DomainEvents;
  posts: PostService;
  comments: CommentService;
  users: UserService;
  gate: CommentGate;
  sanctions: SanctionService;
  audit: AuditService;
  moderation: ModerationService;
  renderer: Renderer;
}

/** The services that HTTP controllers and socket handlers share. */
export function createServices(deps: { config: Config; renderer: Renderer; now?: () => number }): Services {
  const now = deps.now ?? Date.now;
  const events = new DomainEvents();
  const posts = new PostService(deps.config, events);
  const users = new UserService(deps.config, now);
  const audit = new AuditService();
  const sanctions = new SanctionService(audit, now);
  const gate = new CommentGate(deps.config, sanctions, now);
  const comments = new CommentService(deps.config, events, posts, users, gate, now);
  return {
    events,
    posts,
    users,
    gate,
    sanctions,
    audit,
    comments,
    moderation: new ModerationService(deps.config, events, comments, sanctions, audit),
    renderer: deps.renderer,
  };
}
