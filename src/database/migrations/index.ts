import { MigrationInterface } from 'typeorm';

/**
 * Every schema change, oldest first. Listed explicitly rather than found by a file glob, so the same list works
 * from the TypeScript sources (tests) and from dist/.
 */
export const MIGRATIONS: Array<new () => MigrationInterface> = [];
