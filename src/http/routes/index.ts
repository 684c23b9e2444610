import type { FastifyInstance } from 'fastify';
import { adminRoutes } from './admin';
import { authRoutes } from './auth';
import { circulationRoutes } from './circulation';
import { consortiumRoutes } from './consortium';
import { holdRoutes } from './holds';
import { itemRoutes } from './items';
import { libraryRoutes } from './libraries';
import { libraryListRoutes } from './library-lists';
import { loanRoutes } from './loans';
import { locationRoutes } from './locations';
import { messageRoutes } from './messages';
import { patronRoutes } from './patrons';
import { recordRoutes } from './records';
import { slipRoutes } from './slips';
import { staffRoutes } from './staff';
import { transitRoutes } from './transits';

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(authRoutes);
  await app.register(consortiumRoutes);
  await app.register(libraryRoutes);
  await app.register(locationRoutes);
  await app.register(staffRoutes);
  await app.register(patronRoutes);
  await app.register(recordRoutes);
  await app.register(itemRoutes);
  await app.register(holdRoutes);
  await app.register(circulationRoutes);
  await app.register(loanRoutes);
  await app.register(messageRoutes);
  await app.register(slipRoutes);
  await app.register(transitRoutes);
  await app.register(libraryListRoutes);
  await app.register(adminRoutes);
}
