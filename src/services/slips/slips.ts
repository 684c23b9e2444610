import { ok, type Result } from '../../domain/refusal';
import type { ServiceContext } from '../context';
import { holdShelfSlipContent, transitSlipContent, type SlipContent } from './slip-content';
import { dueDateSlipContent, loadDueDateSlip } from './due-date-slip';
import { loadHoldShelfSlip, loadTransitSlip } from './slip-data';
import { slipHtml } from './slip-html';
import { slipPdf } from './slip-pdf';

// The slips of a scan answer (API.md "Circulation"), printed at the desk: a transit slip in two
// copies for a hold transit, a holds-shelf slip for the patron's item. Read-only.

export type SlipFormat = 'html' | 'pdf';

export interface RenderedSlip {
  contentType: string;
  fileName: string;
  body: string | Buffer;
}

async function render(ctx: ServiceContext, content: SlipContent, format: SlipFormat): Promise<RenderedSlip> {
  if (format === 'pdf') return { contentType: 'application/pdf', fileName: `${content.fileName}.pdf`, body: await slipPdf(content, ctx.clock.now()) };
  return { contentType: 'text/html; charset=utf-8', fileName: `${content.fileName}.html`, body: slipHtml(content) };
}

export async function transitSlip(ctx: ServiceContext, transitId: number, format: SlipFormat): Promise<Result<RenderedSlip>> {
  const data = await loadTransitSlip(ctx, transitId);
  if (!data.ok) return data;
  return ok(await render(ctx, transitSlipContent(data.value), format));
}

export async function holdShelfSlip(ctx: ServiceContext, holdId: number, format: SlipFormat): Promise<Result<RenderedSlip>> {
  const data = await loadHoldShelfSlip(ctx, holdId);
  if (!data.ok) return data;
  return ok(await render(ctx, holdShelfSlipContent(data.value), format));
}

export async function dueDateSlip(ctx: ServiceContext, loanId: number, format: SlipFormat): Promise<Result<RenderedSlip>> {
  const loan = await loadDueDateSlip(ctx, loanId);
  if (!loan.ok) return loan;
  return ok(await render(ctx, dueDateSlipContent(loan.value), format));
}
