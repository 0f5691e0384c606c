import { Router, type Response } from 'express';
import { escapeHtml, verifyUnsubscribeToken } from '@shortlist/mail';
import type { GatewayDeps } from '../deps';

/** Used when no secret is configured (tests, the embedded setup): links still work locally. */
export const DEV_UNSUBSCRIBE_SECRET = 'shortlist-dev-unsubscribe-secret';

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .setHeader('Cache-Control', 'no-store')
    .type('html')
    .send(
      [
        '<!doctype html>',
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<title>${escapeHtml(title)}</title></head>`,
        '<body style="font-family: Arial, Helvetica, sans-serif; max-width: 32rem; margin: 3rem auto; line-height: 1.5;">',
        `<h1 style="font-size: 1.4rem;">${escapeHtml(title)}</h1>`,
        body,
        '</body></html>',
      ].join('\n'),
    );
}

/**
 * Mounted on `/v1/unsubscribe`, without authentication: the link at the end of every candidate email. GET
 * shows a confirmation button (link scanners that open it change nothing); POST records the
 * opt-out, which is also what a mail client's one-click unsubscribe (RFC 8058) sends.
 */
export function unsubscribeRoutes(deps: GatewayDeps) {
  const router = Router();
  const secret = deps.unsubscribe?.secret ?? DEV_UNSUBSCRIBE_SECRET;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  async function companyName(userId: string): Promise<string> {
    const profile = await deps.store.companies.get(userId);
    return profile?.name ?? (await deps.store.users.get(userId))?.name ?? 'this sender';
  }

  function invalid(res: Response) {
    page(
      res,
      404,
      'This unsubscribe link is not valid',
      '<p>Please use the complete link from the email you received.</p>',
    );
  }

  router.get('/:token', async (req, res) => {
    const subject = verifyUnsubscribeToken(secret, req.params.token);
    if (!subject) return invalid(res);
    const company = escapeHtml(await companyName(subject.userId));
    page(
      res,
      200,
      'Unsubscribe',
      [
        `<p>Stop emails from <strong>${company}</strong> to <strong>${escapeHtml(subject.address)}</strong>?</p>`,
        '<form method="post"><button type="submit" style="font-size: 1rem; padding: .5rem 1rem;">Unsubscribe</button></form>',
      ].join('\n'),
    );
  });

  router.post('/:token', async (req, res) => {
    const subject = verifyUnsubscribeToken(secret, req.params.token);
    if (!subject) return invalid(res);
    await deps.store.optOuts.add({
      userId: subject.userId,
      address: subject.address,
      reason: 'unsubscribe link',
      createdAt: now(),
    });
    deps.logger.info('candidate unsubscribed through an email link', { userId: subject.userId });
    const company = escapeHtml(await companyName(subject.userId));
    page(
      res,
      200,
      'You are unsubscribed',
      `<p><strong>${escapeHtml(subject.address)}</strong> will receive no more emails from <strong>${company}</strong>.</p>`,
    );
  });

  return router;
}
