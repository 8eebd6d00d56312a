import { createServiceApp } from '@rt/http';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CoordinatorDeps,
  type Migration,
  MigrationCoordinator,
  MigrationRefused,
  MigrationStateChanged,
  WORKER_PHASES,
  type WorkerPhase,
} from '../src/index.js';

// The domain refusals are AppErrors, so `@rt/http`'s one error handler answers them: no route
// translates them itself (the dare-migration hooks keep Atlassian's shape on purpose).
describe('migration refusals through the one error handler', () => {
  const app = createServiceApp({ name: 'residency-errors', logLevel: 'silent' });
  app.get('/refused', async () => {
    throw new MigrationRefused('E0004', 'another migration is running', 429);
  });
  app.get('/raced', async () => {
    throw new MigrationStateChanged('m-1', 'frozen');
  });
  afterAll(() => app.close());

  it('answers MigrationRefused with its status, MIGRATION_REFUSED_<Atlassian code> and the code in details', async () => {
    const res = await app.inject({ method: 'GET', url: '/refused' });
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({
      code: 'MIGRATION_REFUSED_E0004',
      message: 'another migration is running',
      details: { errorResponseCode: 'E0004' },
    });
  });

  it('answers a lost optimistic race as 409 MIGRATION_STATE_CHANGED, not a 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/raced' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'MIGRATION_STATE_CHANGED' });
  });
});

describe('MigrationCoordinator.advance', () => {
  it('moves only into the phases the worker runs; freeze, commit and unfreeze have their own methods', async () => {
    // No directory is reached: the refusal comes before any transaction.
    const coordinator = new MigrationCoordinator({} as CoordinatorDeps);
    const m = { id: 'm-1', state: 'ready_to_commit' } as Migration;
    await expect(coordinator.advance(m, 'committed' as WorkerPhase)).rejects.toBeInstanceOf(
      MigrationStateChanged,
    );
    expect(WORKER_PHASES).toEqual(['pre_copying', 'copying', 'verifying', 'ready_to_commit']);
  });
});
