import type { RequestHandler } from 'express';
import type { Services } from '../services/index.js';
import { pathParam } from './input/params.js';

/**
 * The one-click unsubscribe link of notification mails. GET asks (a link scanner must not
 * unsubscribe anyone); POST does it, from the page's button or from the mail program's own
 * one-click request (RFC 8058), which carries no session and no form token: the signed token in
 * the address is what authorizes it.
 */
export function unsubscribeController(services: Pick<Services, 'replies' | 'follows'>) {
  return {
    /** GET /unsubscribe/:token */
    confirm: ((req, res) => {
      const token = pathParam(req, 'token');
      const follow = token.includes('.follow.');
      // An address's own link stops every mail to it, not only replies.
      const address = token.includes('.address.');
      res.render('account/unsubscribe', {
        title: follow ? 'Stop following' : address ? 'Stop all mail to this address' : 'Stop reply emails',
        token,
        follow,
        address,
      });
    }) satisfies RequestHandler,

    /** GET /notify/confirm/:token: asks (a mail scanner following the link confirms nothing). */
    confirmForm: ((req, res) => {
      const token = pathParam(req, 'token');
      const valid = services.replies.confirmationLooksValid(token);
      res.status(valid ? 200 : 404).render('account/address-confirmed', {
        title: valid ? 'Confirm your address' : 'Link not valid',
        ask: valid,
        token,
      });
    }) satisfies RequestHandler,

    /** POST /notify/confirm/:token: a guest's "email me replies" on one comment, confirmed. */
    confirmAddress: (async (req, res) => {
      const address = await services.replies.confirmAddress(pathParam(req, 'token'));
      res.status(address ? 200 : 404).render('account/address-confirmed', {
        title: address ? 'Address confirmed' : 'Link not valid',
        address,
      });
    }) satisfies RequestHandler,

    /** POST /unsubscribe/:token */
    unsubscribe: (async (req, res) => {
      const token = pathParam(req, 'token');
      // A digest's link stops following its post; the others stop reply emails.
      if (token.includes('.follow.')) {
        const ok = await services.follows.stopFromToken(token);
        res.status(ok ? 200 : 404).render('account/unsubscribe', {
          title: ok ? 'Not following any more' : 'Link not valid',
          unfollowed: ok,
          invalid: !ok,
        });
        return;
      }
      const { ok, username } = await services.replies.unsubscribe(token);
      res.status(ok ? 200 : 404).render('account/unsubscribe', {
        title: ok ? 'Reply emails stopped' : 'Link not valid',
        done: ok,
        invalid: !ok,
        username,
        address: token.includes('.address.'),
      });
    }) satisfies RequestHandler,
  };
}
