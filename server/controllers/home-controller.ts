import type { RequestHandler } from 'express';
import type { Services } from '../services/index.js';
import { parsePage } from './input/query.js';
import { SHARED_PAGE, type SharedPage } from '../middleware/shared-pages.js';

export function homeController(services: Pick<Services, 'posts'>): { index: RequestHandler } {
  return {
    async index(req, res) {
      const page = parsePage(req.query.page);
      const list = await services.posts.listPublished({ page });
      if (!req.user) {
        const shared: SharedPage = {
          tags: ['listing'],
          url: page > 1 ? `/?page=${page}` : '/',
          readers: true,
        };
        res.locals[SHARED_PAGE] = shared;
      }
      res.render('home/index', {
        title: page > 1 ? `Page ${page}` : undefined,
        posts: list.posts,
        // Live comment counts on the listed posts (the page is complete without it).
        scripts: ['/socket.io/socket.io.js', '/js/home.js'],
        paging: list.paging,
        pageBase: '/',
      });
    },
  };
}
