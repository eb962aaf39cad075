import type { RequestHandler } from 'express';
import type { Services } from '../services/index.js';
import { parsePage } from './input/query.js';
import { PAGE_TAGS } from '../middleware/shared-pages.js';

export function homeController(services: Pick<Services, 'posts'>): { index: RequestHandler } {
  return {
    async index(req, res) {
      const page = parsePage(req.query.page);
      const list = await services.posts.listPublished({ page });
      res.locals[PAGE_TAGS] = ['listing'];
      res.render('home/index', {
        title: page > 1 ? `Page ${page}` : undefined,
        posts: list.posts,
        paging: list.paging,
        pageBase: '/',
      });
    },
  };
}
